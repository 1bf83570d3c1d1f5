/** Queue helpers: a capturing producer binding, and driving the worker's queue handler directly. */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { DevEnv as Env } from '../../../worker/dev/env';
import worker from '../../../worker/dev/index';

/** A Queue binding that keeps what it is sent, so a test can deliver it to the consumer itself. */
export function captureQueue(): { queue: Queue<unknown>; sent: unknown[] } {
  const sent: unknown[] = [];
  const binding = {
    send: async (body: unknown) => {
      sent.push(body);
    },
    sendBatch: async (batch: Iterable<MessageSendRequest<unknown>>) => {
      for (const m of batch) sent.push(m.body);
    },
  };
  // Only send/sendBatch are used by the worker; the binding's other members are never called.
  return { queue: binding as unknown as Queue<unknown>, sent };
}

let nextId = 0;

/**
 * Delivers `bodies` as one batch to the worker's exported `queue` handler (the real entry
 * point) and answers which messages were acked and which retried, with what delay.
 */
export async function deliver(
  queueName: string,
  bodies: unknown[],
  options: { attempts?: number; env?: Partial<Env> } = {},
): Promise<{ ids: string[]; acked: string[]; retried: Array<{ msgId: string; delaySeconds?: number }> }> {
  const messages = bodies.map((body) => ({ id: `msg-${(nextId += 1)}`, timestamp: new Date(), attempts: options.attempts ?? 1, body }));
  const batch = createMessageBatch(queueName, messages);
  // The harness records that a message was retried but not its delay: note it on the way.
  const delays = new Map<string, number | undefined>();
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    Object.defineProperty(message, 'retry', {
      value: (opts?: QueueRetryOptions) => {
        delays.set(message.id, opts?.delaySeconds);
        retry(opts);
      },
    });
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...options.env }, ctx);
  const result = await getQueueResult(batch, ctx);
  return {
    ids: messages.map((m) => m.id),
    acked: result.ackAll ? messages.map((m) => m.id) : result.explicitAcks,
    retried: result.retryMessages.map((r: { msgId: string }) => ({ msgId: r.msgId, delaySeconds: delays.get(r.msgId) })),
  };
}
