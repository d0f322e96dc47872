import { functionTypeOf, type Destination } from '../../../destinations/model.js';
import { webhookUrl } from '../../../sources/route.js';
import { statusView, type DestinationStatus } from '../../../runtime/health-monitor.js';
import type { StoredDestination } from '../../../store/store.js';
import { publicInputs } from './secrets.js';

/** A stored destination's configuration. */
export function destinationOf(stored: StoredDestination): Destination {
  return stored.config as unknown as Destination;
}

/**
 * A destination as the API returns it: PostHog's fields, secrets masked, compiled forms left out, and its
 * health `status` (healthy with no dates when the watcher never recorded anything). A source also has its
 * public `webhook_url` (null for destinations).
 */
export function destinationView(destination: Destination, status: DestinationStatus = statusView(null), siteUrl = 'http://localhost:8040') {
  const type = functionTypeOf(destination);
  const { bytecode: _bytecode, ...filters } = destination.filters ?? {};
  void _bytecode;
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
    filters,
    masking: destination.masking ? { ttl: destination.masking.ttl, hash: destination.masking.hash, threshold: destination.masking.threshold ?? null } : null,
    mappings:
      destination.mappings?.map((m) => ({
        name: m.name,
        disabled: m.disabled ?? false,
        inputs_schema: m.inputs_schema ?? [],
        inputs: publicInputs(m.inputs, [...destination.inputs_schema, ...(m.inputs_schema ?? [])]),
        filters: m.filters ? { ...m.filters, bytecode: undefined } : {},
      })) ?? null,
    template_id: destination.template_id,
    icon_url: destination.icon_url,
    retry_policy: destination.retry_policy ?? null,
    created_at: destination.created_at,
    updated_at: destination.updated_at,
    status,
  };
}
