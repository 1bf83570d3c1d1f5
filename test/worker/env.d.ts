import type { Env as WorkerEnv } from '../../worker/env';

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import('../../worker/index');
    }
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
      CONTRACT_PARTNERO_API_URL: string;
      CONTRACT_PARTNERO_API_KEY: string;
    }
  }
}
export {};
