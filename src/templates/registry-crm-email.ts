/** CRM, support, email and engagement templates. One `register` line per template. */
import { register } from './register.js';
import type { TemplateModule } from './types.js';
import * as hubspot from './hubspot/template.js';
import * as hubspotFixtures from './hubspot/fixtures.js';
import * as hubspotEvent from './hubspot-event/template.js';
import * as hubspotEventFixtures from './hubspot-event/fixtures.js';
import * as intercom from './intercom/template.js';
import * as intercomFixtures from './intercom/fixtures.js';
import * as intercomEvent from './intercom-event/template.js';
import * as intercomEventFixtures from './intercom-event/fixtures.js';
import * as attio from './attio/template.js';
import * as attioFixtures from './attio/fixtures.js';
import * as zendesk from './zendesk/template.js';
import * as zendeskFixtures from './zendesk/fixtures.js';
import * as customerio from './customerio/template.js';
import * as customerioFixtures from './customerio/fixtures.js';
import * as sendgrid from './sendgrid/template.js';
import * as sendgridFixtures from './sendgrid/fixtures.js';
import * as mailchimp from './mailchimp/template.js';
import * as mailchimpFixtures from './mailchimp/fixtures.js';
import * as brevo from './brevo/template.js';
import * as brevoFixtures from './brevo/fixtures.js';
import * as klaviyoUser from './klaviyo-user/template.js';
import * as klaviyoUserFixtures from './klaviyo-user/fixtures.js';
import * as klaviyoEvent from './klaviyo-event/template.js';
import * as klaviyoEventFixtures from './klaviyo-event/fixtures.js';
import * as loops from './loops/template.js';
import * as loopsFixtures from './loops/fixtures.js';
import * as loopsEvent from './loops-event/template.js';
import * as loopsEventFixtures from './loops-event/fixtures.js';
import * as braze from './braze/template.js';
import * as brazeFixtures from './braze/fixtures.js';
import * as postmark from './postmark/template.js';
import * as postmarkFixtures from './postmark/fixtures.js';
import * as resend from './resend/template.js';
import * as resendFixtures from './resend/fixtures.js';
import * as mailgunSendEmail from './mailgun-send-email/template.js';
import * as mailgunSendEmailFixtures from './mailgun-send-email/fixtures.js';
import * as mailjet from './mailjet/template.js';
import * as mailjetFixtures from './mailjet/fixtures.js';
import * as pipedrive from './pipedrive/template.js';
import * as pipedriveFixtures from './pipedrive/fixtures.js';
import * as close from './close/template.js';
import * as closeFixtures from './close/fixtures.js';
import * as freshsales from './freshsales/template.js';
import * as freshsalesFixtures from './freshsales/fixtures.js';

export const CRM_AND_EMAIL: TemplateModule[] = [
  register(hubspot, hubspotFixtures),
  register(hubspotEvent, hubspotEventFixtures),
  register(intercom, intercomFixtures),
  register(intercomEvent, intercomEventFixtures),
  register(attio, attioFixtures),
  register(zendesk, zendeskFixtures),
  register(customerio, customerioFixtures),
  register(sendgrid, sendgridFixtures),
  register(mailchimp, mailchimpFixtures),
  register(brevo, brevoFixtures),
  register(klaviyoUser, klaviyoUserFixtures),
  register(klaviyoEvent, klaviyoEventFixtures),
  register(loops, loopsFixtures),
  register(loopsEvent, loopsEventFixtures),
  register(braze, brazeFixtures),
  register(postmark, postmarkFixtures),
  register(resend, resendFixtures),
  register(mailgunSendEmail, mailgunSendEmailFixtures),
  register(mailjet, mailjetFixtures),
  register(pipedrive, pipedriveFixtures),
  register(close, closeFixtures),
  register(freshsales, freshsalesFixtures),
];
