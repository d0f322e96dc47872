/**
 * The kinds of function the UI manages with the same pages: destinations (events out), webhook sources
 * (requests in) and transformations (events changed or dropped before anything else sees them). Pages take a `FunctionKind` and read their words, paths and sections from here,
 * so there is one list, one gallery and one editor page rather than a copy per kind.
 */
export type FunctionType = 'destination' | 'source_webhook' | 'transformation';

export interface FunctionKind {
  type: FunctionType;
  /** The URL segment under a project: `/projects/1/destinations`. */
  segment: 'destinations' | 'sources' | 'transformations';
  singular: string;
  plural: string;
  /** Capitalised forms for titles and breadcrumbs. */
  Singular: string;
  Plural: string;
  /** The `type` query of list calls; undefined keeps the API default (destinations). */
  listType: FunctionType | undefined;
  /** Event filters, masking and mappings only make sense for functions that events trigger. */
  hasTrigger: boolean;
  /** Masking and mappings thin out or split deliveries: destinations only. */
  hasDeliveryOptions: boolean;
  /** Runs in an order the user sets (`execution_order`), shown and changed on the list. */
  ordered: boolean;
  /** Metrics that count as handled (the rest of the sparkline is `failed`). */
  okMetrics: string[];
  /** Queued deliveries with retries: destinations only. */
  hasInvocations: boolean;
  listIntro: string;
  emptyIntro: string;
  galleryIntro: string;
}

export const DESTINATION: FunctionKind = {
  type: 'destination',
  segment: 'destinations',
  singular: 'destination',
  plural: 'destinations',
  Singular: 'Destination',
  Plural: 'Destinations',
  listType: undefined,
  hasTrigger: true,
  hasDeliveryOptions: true,
  ordered: false,
  okMetrics: ['succeeded'],
  hasInvocations: true,
  listIntro: 'Every event your apps send is forwarded, in real time, to the destinations that match it.',
  emptyIntro: 'Create one from a template (a webhook, Slack, HubSpot…) and test it on an example event before it sends anything.',
  galleryIntro: 'Pick a template. You can change its code afterwards, and test it before it sends anything.',
};

export const SOURCE: FunctionKind = {
  type: 'source_webhook',
  segment: 'sources',
  singular: 'source',
  plural: 'sources',
  Singular: 'Source',
  Plural: 'Sources',
  listType: 'source_webhook',
  hasTrigger: false,
  hasDeliveryOptions: false,
  ordered: false,
  okMetrics: ['succeeded'],
  hasInvocations: false,
  listIntro: 'Each source has a public webhook URL: services such as Stripe or GitHub call it, and its code turns each request into events.',
  emptyIntro: 'Create one from a template (Stripe, GitHub, a generic JSON webhook…) and test it on an example request before giving its URL out.',
  galleryIntro: 'Pick a template. You get a webhook URL once it is created, and can test it on an example request first.',
};

export const TRANSFORMATION: FunctionKind = {
  type: 'transformation',
  segment: 'transformations',
  singular: 'transformation',
  plural: 'transformations',
  Singular: 'Transformation',
  Plural: 'Transformations',
  listType: 'transformation',
  hasTrigger: true,
  hasDeliveryOptions: false,
  ordered: true,
  okMetrics: ['transformed', 'unchanged', 'dropped'],
  hasInvocations: false,
  listIntro: 'Every captured event runs through the enabled transformations, top to bottom, before persons and destinations see it. Each can change the event or drop it.',
  emptyIntro: 'Create one from a template (drop bots, hash emails, strip URL parameters…) and test it on an example event: you see the event before and after.',
  galleryIntro: 'Pick a template. You can change its code afterwards, and see what it does to an example event before enabling it.',
};

export function kindOfSegment(segment: string): FunctionKind | null {
  if (segment === 'destinations') return DESTINATION;
  if (segment === 'sources') return SOURCE;
  if (segment === 'transformations') return TRANSFORMATION;
  return null;
}

export function kindOfType(type: string | undefined | null): FunctionKind {
  return type === 'source_webhook' ? SOURCE : type === 'transformation' ? TRANSFORMATION : DESTINATION;
}
