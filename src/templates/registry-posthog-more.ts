/** More of PostHog's destinations, with PostHog's input contract. One `register` line per template. */
import { register } from './register.js';
import type { TemplateModule } from './types.js';
import * as clearbit from './clearbit/template.js';
import * as clearbitFixtures from './clearbit/fixtures.js';
import * as salesforceCreate from './salesforce-create/template.js';
import * as salesforceCreateFixtures from './salesforce-create/fixtures.js';
import * as salesforceUpdate from './salesforce-update/template.js';
import * as salesforceUpdateFixtures from './salesforce-update/fixtures.js';
import * as googleCloudStorage from './google-cloud-storage/template.js';
import * as googleCloudStorageFixtures from './google-cloud-storage/fixtures.js';
import * as googleSheets from './google-sheets/template.js';
import * as googleSheetsFixtures from './google-sheets/fixtures.js';
import * as microsoftAds from './microsoft-ads/template.js';
import * as microsoftAdsFixtures from './microsoft-ads/fixtures.js';
import * as firebasePush from './firebase-push/template.js';
import * as firebasePushFixtures from './firebase-push/fixtures.js';
import * as engageSo from './engage-so/template.js';
import * as engageSoFixtures from './engage-so/fixtures.js';
import * as beehiiv from './beehiiv/template.js';
import * as beehiivFixtures from './beehiiv/fixtures.js';
import * as appcues from './appcues/template.js';
import * as appcuesFixtures from './appcues/fixtures.js';

export const MORE_POSTHOG: TemplateModule[] = [
  register(clearbit, clearbitFixtures),
  register(salesforceCreate, salesforceCreateFixtures),
  register(salesforceUpdate, salesforceUpdateFixtures),
  register(googleCloudStorage, googleCloudStorageFixtures),
  register(googleSheets, googleSheetsFixtures),
  register(microsoftAds, microsoftAdsFixtures),
  register(firebasePush, firebasePushFixtures),
  register(engageSo, engageSoFixtures),
  register(beehiiv, beehiivFixtures),
  register(appcues, appcuesFixtures),
];
