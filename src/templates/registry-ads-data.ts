/** Ad conversion APIs, and data and log pipelines. One `register` line per template. */
import { register } from './register.js';
import type { TemplateModule } from './types.js';
import * as snapchatAds from './snapchat-ads/template.js';
import * as snapchatAdsFixtures from './snapchat-ads/fixtures.js';
import * as pinterestAds from './pinterest-ads/template.js';
import * as pinterestAdsFixtures from './pinterest-ads/fixtures.js';
import * as kafkaRest from './kafka-rest/template.js';
import * as kafkaRestFixtures from './kafka-rest/fixtures.js';
import * as axiom from './axiom/template.js';
import * as axiomFixtures from './axiom/fixtures.js';
import * as tinybird from './tinybird/template.js';
import * as tinybirdFixtures from './tinybird/fixtures.js';
import * as datadogLogs from './datadog-logs/template.js';
import * as datadogLogsFixtures from './datadog-logs/fixtures.js';
import * as grafanaLoki from './grafana-loki/template.js';
import * as grafanaLokiFixtures from './grafana-loki/fixtures.js';

export const ADS_AND_DATA: TemplateModule[] = [
  register(snapchatAds, snapchatAdsFixtures),
  register(pinterestAds, pinterestAdsFixtures),
  register(kafkaRest, kafkaRestFixtures),
  register(axiom, axiomFixtures),
  register(tinybird, tinybirdFixtures),
  register(datadogLogs, datadogLogsFixtures),
  register(grafanaLoki, grafanaLokiFixtures),
];
