import type { DevEnv } from '../../worker/dev/env';

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import('../../worker/dev/index');
    }
    interface Env extends DevEnv {
      TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
      CONTRACT_PARTNERO_API_URL: string;
      CONTRACT_PARTNERO_API_KEY: string;
    }
  }
}
export {};
