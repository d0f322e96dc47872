import type { Project, Store } from '../store/store.js';
import { hashApiKey, maskApiKey, newPersonalApiKey, newProjectToken } from './keys.js';

export interface BootstrapResult {
  project: Project;
  projectCreated: boolean;
  /** The admin key in clear, only when it was created now (it is never shown again). */
  apiKey: string | null;
}

export interface BootstrapEnv {
  SLUICE_BOOTSTRAP_PROJECT_TOKEN?: string | undefined;
  SLUICE_BOOTSTRAP_API_KEY?: string | undefined;
}

/**
 * First start: creates the default project and an admin personal API key (scope `*`, every project). The
 * environment may choose both (`SLUICE_BOOTSTRAP_PROJECT_TOKEN`, `SLUICE_BOOTSTRAP_API_KEY`) for scripted
 * set-ups; on later starts they are ignored (a key is made only while the store has none, revoked or not).
 */
export async function bootstrap(store: Store, env: BootstrapEnv): Promise<BootstrapResult> {
  const projects = await store.listProjects();
  let project = projects[0];
  let projectCreated = false;
  if (project === undefined) {
    const apiToken = env.SLUICE_BOOTSTRAP_PROJECT_TOKEN?.trim() || newProjectToken();
    project = await store.createProject({ name: 'Default project', apiToken });
    projectCreated = true;
  }
  let apiKey: string | null = null;
  if ((await store.countApiKeys()) === 0) {
    apiKey = env.SLUICE_BOOTSTRAP_API_KEY?.trim() || newPersonalApiKey();
    await store.createApiKey({
      label: 'admin (created on first start)',
      secureValue: hashApiKey(apiKey),
      maskValue: maskApiKey(apiKey),
      scopes: ['*'],
      projects: null,
    });
  }
  return { project, projectCreated, apiKey };
}
