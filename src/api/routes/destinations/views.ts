import { destinationFromStored } from '../../../destinations/config-schema.js';
import { functionTypeOf, type Destination, type Filters } from '../../../destinations/model.js';
import { webhookUrl } from '../../../sources/route.js';
import { statusView, type DestinationStatus } from '../../../runtime/health-monitor.js';
import type { StoredDestination } from '../../../store/store.js';
import type { Destination as DestinationView, Filters as FiltersView } from '../../schemas/destinations.js';
import { publicInputs } from './secrets.js';

/** A stored destination's configuration, parsed: a `StoredDestinationError` naming it when it does not fit. */
export function destinationOf(stored: StoredDestination): Destination {
  return destinationFromStored(stored);
}

/** Filters as shown: the compiled bytecode left out (the view's schema lists the fields that are shown). */
function filtersView(filters: Filters | undefined): FiltersView {
  const { bytecode: _bytecode, ...shown } = filters ?? {};
  void _bytecode;
  return shown;
}

/**
 * A destination as the API returns it (`schemas/destinations.ts`): PostHog's fields, secrets masked,
 * compiled forms left out, and its health `status` (healthy with no dates when the watcher never recorded
 * anything). A source also has its public `webhook_url` (null for destinations).
 */
export function destinationView(destination: Destination, status: DestinationStatus = statusView(null), siteUrl = 'http://localhost:8040'): DestinationView {
  const type = functionTypeOf(destination);
  return {
    id: destination.id,
    type,
    webhook_url: type === 'source_webhook' ? webhookUrl(siteUrl, destination.id) : null,
    name: destination.name,
    description: destination.description,
    enabled: destination.enabled,
    hog: destination.hog,
    inputs_schema: destination.inputs_schema,
    inputs: publicInputs(destination.inputs, destination.inputs_schema),
    filters: filtersView(destination.filters),
    masking: destination.masking ? { ttl: destination.masking.ttl, hash: destination.masking.hash, threshold: destination.masking.threshold ?? null } : null,
    mappings:
      destination.mappings?.map((m) => ({
        name: m.name,
        disabled: m.disabled ?? false,
        inputs_schema: m.inputs_schema ?? [],
        inputs: publicInputs(m.inputs, [...destination.inputs_schema, ...(m.inputs_schema ?? [])]),
        filters: filtersView(m.filters),
      })) ?? null,
    template_id: destination.template_id,
    icon_url: destination.icon_url,
    retry_policy: destination.retry_policy ?? null,
    ...(type === 'transformation'
      ? { execution_order: destination.execution_order ?? null, allow_identity_changes: destination.allow_identity_changes ?? false }
      : {}),
    created_at: destination.created_at,
    updated_at: destination.updated_at,
    status,
  };
}
