/** Generic webhooks and chat/alerting templates. One `register` line per template. */
import { register } from './register.js';
import type { TemplateModule } from './types.js';
import * as webhook from './webhook/template.js';
import * as webhookFixtures from './webhook/fixtures.js';
import * as zapier from './zapier/template.js';
import * as zapierFixtures from './zapier/fixtures.js';
import * as make from './make/template.js';
import * as makeFixtures from './make/fixtures.js';
import * as n8n from './n8n/template.js';
import * as n8nFixtures from './n8n/fixtures.js';
import * as slack from './slack/template.js';
import * as slackFixtures from './slack/fixtures.js';
import * as slackWebhook from './slack-webhook/template.js';
import * as slackWebhookFixtures from './slack-webhook/fixtures.js';
import * as discord from './discord/template.js';
import * as discordFixtures from './discord/fixtures.js';
import * as microsoftTeams from './microsoft-teams/template.js';
import * as microsoftTeamsFixtures from './microsoft-teams/fixtures.js';
import * as telegram from './telegram/template.js';
import * as telegramFixtures from './telegram/fixtures.js';
import * as pagerduty from './pagerduty/template.js';
import * as pagerdutyFixtures from './pagerduty/fixtures.js';
import * as opsgenie from './opsgenie/template.js';
import * as opsgenieFixtures from './opsgenie/fixtures.js';
import * as mattermost from './mattermost/template.js';
import * as mattermostFixtures from './mattermost/fixtures.js';
import * as rocketchat from './rocketchat/template.js';
import * as rocketchatFixtures from './rocketchat/fixtures.js';
import * as googleChat from './google-chat/template.js';
import * as googleChatFixtures from './google-chat/fixtures.js';
import * as zulip from './zulip/template.js';
import * as zulipFixtures from './zulip/fixtures.js';
import * as matrix from './matrix/template.js';
import * as matrixFixtures from './matrix/fixtures.js';
import * as incidentIo from './incident-io/template.js';
import * as incidentIoFixtures from './incident-io/fixtures.js';
import * as betterStack from './better-stack/template.js';
import * as betterStackFixtures from './better-stack/fixtures.js';

export const GENERIC_AND_CHAT: TemplateModule[] = [
  register(webhook, webhookFixtures),
  register(zapier, zapierFixtures),
  register(make, makeFixtures),
  register(n8n, n8nFixtures),
  register(slack, slackFixtures),
  register(slackWebhook, slackWebhookFixtures),
  register(discord, discordFixtures),
  register(microsoftTeams, microsoftTeamsFixtures),
  register(telegram, telegramFixtures),
  register(pagerduty, pagerdutyFixtures),
  register(opsgenie, opsgenieFixtures),
  register(mattermost, mattermostFixtures),
  register(rocketchat, rocketchatFixtures),
  register(googleChat, googleChatFixtures),
  register(zulip, zulipFixtures),
  register(matrix, matrixFixtures),
  register(incidentIo, incidentIoFixtures),
  register(betterStack, betterStackFixtures),
];
