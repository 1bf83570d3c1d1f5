import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

// Every test file starts from the current schema (migrations are idempotent to re-apply).
if (env.LOCAL_DB) await applyD1Migrations(env.LOCAL_DB, env.TEST_MIGRATIONS);
