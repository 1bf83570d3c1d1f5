// STUB: replaced by the signup queue consumer.
import type { Env } from '../env';
export async function handleQueue(batch: MessageBatch<unknown>, _env: Env, _ctx: ExecutionContext): Promise<void> {
  batch.ackAll();
}
