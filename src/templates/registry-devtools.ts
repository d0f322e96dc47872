/** Developer tools and engagement templates. One `register` line per template. */
import { register } from './register.js';
import type { TemplateModule } from './types.js';
import * as github from './github/template.js';
import * as githubFixtures from './github/fixtures.js';
import * as gitlab from './gitlab/template.js';
import * as gitlabFixtures from './gitlab/fixtures.js';
import * as clickup from './clickup/template.js';
import * as clickupFixtures from './clickup/fixtures.js';
import * as activecampaign from './activecampaign/template.js';
import * as activecampaignFixtures from './activecampaign/fixtures.js';
import * as onesignal from './onesignal/template.js';
import * as onesignalFixtures from './onesignal/fixtures.js';

export const DEVTOOLS_AND_ENGAGEMENT: TemplateModule[] = [
  register(github, githubFixtures),
  register(gitlab, gitlabFixtures),
  register(clickup, clickupFixtures),
  register(activecampaign, activecampaignFixtures),
  register(onesignal, onesignalFixtures),
];
