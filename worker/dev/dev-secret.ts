/**
 * Token secret used only when DEMO_MODE is "true" and no TOKEN_SECRET is set, so that
 * `npm start` works on a fresh clone with nothing configured. Public by design: a
 * deployment with DEMO_MODE off never accepts it. Kept free of imports so Node tooling
 * (`npm run token`) can import it without the Workers types.
 */
export const DEV_TOKEN_SECRET = 'dev-only-token-secret-do-not-use-in-production';
