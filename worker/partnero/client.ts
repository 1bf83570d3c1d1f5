// STUB: replaced by the typed Partnero client.
import type { PartneroClient, PartneroClientOptions } from './types';
export function createPartneroClient(_options: PartneroClientOptions): PartneroClient {
  throw new Error('not implemented');
}
