/** The dev composition's entry (wrangler.dev.toml): interim, until the production entry stops mounting dev routes. */
export { app, default } from '../index';
