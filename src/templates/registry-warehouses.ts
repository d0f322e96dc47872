/** Warehouses, object stores and the remaining self-hosters' asks. One `register` line per template. */
import { register } from './register.js';
import type { TemplateModule } from './types.js';
import * as bigquery from './bigquery/template.js';
import * as bigqueryFixtures from './bigquery/fixtures.js';
import * as s3 from './s3/template.js';
import * as s3Fixtures from './s3/fixtures.js';
import * as amazonSes from './amazon-ses/template.js';
import * as amazonSesFixtures from './amazon-ses/fixtures.js';
import * as adjust from './adjust/template.js';
import * as adjustFixtures from './adjust/fixtures.js';
import * as kudositySms from './kudosity-sms/template.js';
import * as kudositySmsFixtures from './kudosity-sms/fixtures.js';
import * as accoil from './accoil/template.js';
import * as accoilFixtures from './accoil/fixtures.js';
import * as unify from './unify/template.js';
import * as unifyFixtures from './unify/fixtures.js';
import * as retain from './retain/template.js';
import * as retainFixtures from './retain/fixtures.js';
import * as whatsapp from './whatsapp/template.js';
import * as whatsappFixtures from './whatsapp/fixtures.js';
import * as witn from './witn/template.js';
import * as witnFixtures from './witn/fixtures.js';

export const WAREHOUSES_AND_MORE: TemplateModule[] = [
  register(bigquery, bigqueryFixtures),
  register(s3, s3Fixtures),
  register(amazonSes, amazonSesFixtures),
  register(adjust, adjustFixtures),
  register(kudositySms, kudositySmsFixtures),
  register(accoil, accoilFixtures),
  register(unify, unifyFixtures),
  register(retain, retainFixtures),
  register(whatsapp, whatsappFixtures),
  register(witn, witnFixtures),
];
