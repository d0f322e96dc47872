/** Analytics and data, advertising conversions, productivity templates. One `register` line per template. */
import { register } from './register.js';
import type { TemplateModule } from './types.js';
import * as amplitude from './amplitude/template.js';
import * as amplitudeFixtures from './amplitude/fixtures.js';
import * as mixpanel from './mixpanel/template.js';
import * as mixpanelFixtures from './mixpanel/fixtures.js';
import * as segment from './segment/template.js';
import * as segmentFixtures from './segment/fixtures.js';
import * as posthog from './posthog/template.js';
import * as posthogFixtures from './posthog/fixtures.js';
import * as googleAnalytics4 from './google-analytics-4/template.js';
import * as googleAnalytics4Fixtures from './google-analytics-4/fixtures.js';
import * as awsKinesis from './aws-kinesis/template.js';
import * as awsKinesisFixtures from './aws-kinesis/fixtures.js';
import * as googlePubsub from './google-pubsub/template.js';
import * as googlePubsubFixtures from './google-pubsub/fixtures.js';
import * as metaAds from './meta-ads/template.js';
import * as metaAdsFixtures from './meta-ads/fixtures.js';
import * as tiktokAds from './tiktok-ads/template.js';
import * as tiktokAdsFixtures from './tiktok-ads/fixtures.js';
import * as googleAds from './google-ads/template.js';
import * as googleAdsFixtures from './google-ads/fixtures.js';
import * as linkedinAds from './linkedin-ads/template.js';
import * as linkedinAdsFixtures from './linkedin-ads/fixtures.js';
import * as redditConversionsApi from './reddit-conversions-api/template.js';
import * as redditConversionsApiFixtures from './reddit-conversions-api/fixtures.js';
import * as linear from './linear/template.js';
import * as linearFixtures from './linear/fixtures.js';
import * as airtable from './airtable/template.js';
import * as airtableFixtures from './airtable/fixtures.js';
import * as twilio from './twilio/template.js';
import * as twilioFixtures from './twilio/fixtures.js';
import * as plausible from './plausible/template.js';
import * as plausibleFixtures from './plausible/fixtures.js';
import * as umami from './umami/template.js';
import * as umamiFixtures from './umami/fixtures.js';
import * as matomo from './matomo/template.js';
import * as matomoFixtures from './matomo/fixtures.js';
import * as clickhouse from './clickhouse/template.js';
import * as clickhouseFixtures from './clickhouse/fixtures.js';
import * as elasticsearch from './elasticsearch/template.js';
import * as elasticsearchFixtures from './elasticsearch/fixtures.js';
import * as supabase from './supabase/template.js';
import * as supabaseFixtures from './supabase/fixtures.js';
import * as pipedream from './pipedream/template.js';
import * as pipedreamFixtures from './pipedream/fixtures.js';
import * as activepieces from './activepieces/template.js';
import * as activepiecesFixtures from './activepieces/fixtures.js';

export const ANALYTICS_ADS_PRODUCTIVITY: TemplateModule[] = [
  register(amplitude, amplitudeFixtures),
  register(mixpanel, mixpanelFixtures),
  register(segment, segmentFixtures),
  register(posthog, posthogFixtures),
  register(googleAnalytics4, googleAnalytics4Fixtures),
  register(awsKinesis, awsKinesisFixtures),
  register(googlePubsub, googlePubsubFixtures),
  register(metaAds, metaAdsFixtures),
  register(tiktokAds, tiktokAdsFixtures),
  register(googleAds, googleAdsFixtures),
  register(linkedinAds, linkedinAdsFixtures),
  register(redditConversionsApi, redditConversionsApiFixtures),
  register(linear, linearFixtures),
  register(airtable, airtableFixtures),
  register(twilio, twilioFixtures),
  register(plausible, plausibleFixtures),
  register(umami, umamiFixtures),
  register(matomo, matomoFixtures),
  register(clickhouse, clickhouseFixtures),
  register(elasticsearch, elasticsearchFixtures),
  register(supabase, supabaseFixtures),
  register(pipedream, pipedreamFixtures),
  register(activepieces, activepiecesFixtures),
];
