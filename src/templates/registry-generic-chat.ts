/** Generic webhooks and chat/alerting templates. One `register` line per template. */
import { register } from './register.js';
import type { TemplateModule } from './types.js';
import * as webhook from './webhook/template.js';
import * as webhookFixtures from './webhook/fixtures.js';
import * as slack from './slack/template.js';
import * as slackFixtures from './slack/fixtures.js';
import * as slackWebhook from './slack-webhook/template.js';
import * as slackWebhookFixtures from './slack-webhook/fixtures.js';
import * as discord from './discord/template.js';
import * as discordFixtures from './discord/fixtures.js';
import * as telegram from './telegram/template.js';
import * as telegramFixtures from './telegram/fixtures.js';
import * as microsoftTeams from './microsoft-teams/template.js';
import * as microsoftTeamsFixtures from './microsoft-teams/fixtures.js';
import * as pagerduty from './pagerduty/template.js';
import * as pagerdutyFixtures from './pagerduty/fixtures.js';
import * as opsgenie from './opsgenie/template.js';
import * as opsgenieFixtures from './opsgenie/fixtures.js';

export const GENERIC_AND_CHAT: TemplateModule[] = [
  register(webhook, webhookFixtures),
  register(slack, slackFixtures),
  register(slackWebhook, slackWebhookFixtures),
  register(discord, discordFixtures),
  register(telegram, telegramFixtures),
  register(microsoftTeams, microsoftTeamsFixtures),
  register(pagerduty, pagerdutyFixtures),
  register(opsgenie, opsgenieFixtures),
];
