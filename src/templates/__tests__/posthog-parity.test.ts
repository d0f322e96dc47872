/**
 * Every template whose id PostHog also uses pins PostHog's input contract with `posthog: true` fixtures
 * (PostHog's input keys in, the requests PostHog's template makes out); they run in fixtures.test.ts.
 * The library lists at least 100 destination templates.
 */
import { describe, expect, it } from 'vitest';
import { TEMPLATE_MODULES } from '../index.js';

/** Template ids Sluice shares with PostHog's destination library, each mirrored from PostHog's tested cases. */
const POSTHOG_IDS_WITH_TESTS = [
  'webhook', 'zapier', 'make', 'slack', 'discord', 'microsoft-teams', 'pagerduty', 'hubspot', 'hubspot-event', 'intercom',
  'intercom-event', 'attio', 'zendesk', 'customerio', 'sendgrid', 'mailchimp', 'brevo', 'klaviyo-user', 'klaviyo-event', 'loops',
  'loops-event', 'braze', 'resend', 'mailgun-send-email', 'close', 'posthog-replicator', 'google-analytics-4', 'aws-kinesis',
  'google-pubsub', 'meta-ads', 'tiktok-ads', 'google-ads', 'linkedin-ads', 'reddit-conversions-api', 'linear', 'airtable', 'twilio',
  'rudderstack', 'june', 'knock', 'gleap', 'avo', 'github', 'clickup', 'activecampaign', 'onesignal', 'snapchat-ads',
  'pinterest-ads', 'clearbit', 'salesforce-create', 'salesforce-update', 'google-cloud-storage', 'google-sheets', 'microsoft-ads',
  'engage-so', 'beehiiv', 'appcues', 'adjust', 'kudosity-sms', 'accoil', 'unify', 'retain', 'whatsapp', 'witn',
].map((slug) => `template-${slug}`);

describe('PostHog template parity', () => {
  it.each(POSTHOG_IDS_WITH_TESTS)('%s has fixtures with PostHog-style inputs', (id) => {
    const module = TEMPLATE_MODULES.find((m) => m.template.id === id);
    expect(module, `${id} is in the library`).toBeDefined();
    const posthogFixtures = module!.fixtures.filter((f) => f.posthog === true);
    expect(posthogFixtures.length).toBeGreaterThan(0);
    for (const fixture of posthogFixtures) expect(fixture.name).toMatch(/^PostHog: /);
  });

  it('lists at least 100 destination templates, each id once', () => {
    const ids = TEMPLATE_MODULES.map((m) => m.template.id);
    expect(ids.length).toBeGreaterThanOrEqual(100);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
