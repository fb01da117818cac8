import type { MessageBus } from '../../domain/broadcast/bus.js';
import { InProcessBus } from './in-process-bus.js';
import { createRedisBus, type RedisBusLogger } from './redis-bus.js';

export { InProcessBus } from './in-process-bus.js';
export { RedisBus, createRedisBus, type RedisBusLogger, type RedisBusOptions } from './redis-bus.js';

/**
 * The bus for this process: through Redis when `redisUrl` is set (several API replicas share
 * broadcasts), else in-process (a single replica needs no extra infrastructure). An empty string
 * counts as unset, as an empty `REDIS_URL=` in a compose file or shell would give.
 *
 * Rejects if Redis is not ready within {@link createRedisBus}'s default timeout (10 s): a replica
 * that cannot fan out to the others must not pretend to serve subscriptions.
 */
export async function createMessageBus(redisUrl: string | undefined, logger?: RedisBusLogger): Promise<MessageBus> {
  if (redisUrl === undefined || redisUrl === '') return new InProcessBus();
  return createRedisBus(redisUrl, logger === undefined ? {} : { logger });
}
