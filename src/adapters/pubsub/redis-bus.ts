import { Redis } from 'ioredis';

import { z } from 'zod';

import { topicKey, type BusMessage, type BusTopic, type MessageBus } from '../../domain/broadcast/bus.js';
import type { ConflictRecord } from '../../domain/consensus/conflict.js';
import { CONTEXT_CHANGE_KINDS, type ContextRecord } from '../../domain/types.js';

/** Where the bus reports trouble; a pino logger fits. Only `warn`: nothing here is fatal. */
export interface RedisBusLogger {
  warn(obj: object, msg: string): void;
}

/** Options for {@link createRedisBus}. */
export interface RedisBusOptions {
  /**
   * Prepended to {@link topicKey} to form the Redis channel. Default `'context-mesh:'`, so several
   * deployments (or test runs) can share one Redis without hearing each other.
   */
  channelPrefix?: string;
  /** Receives connection problems, malformed messages and listener errors. Default: discard. */
  logger?: RedisBusLogger;
  /**
   * How long {@link createRedisBus} waits for both connections to be ready before failing, in ms.
   * Default 10000: long enough for a Redis container that starts alongside the API.
   */
  readyTimeoutMs?: number;
  /**
   * Upper bound on one PUBLISH / SUBSCRIBE / UNSUBSCRIBE, in ms. Default 5000. Without it a command
   * caught in flight by a disconnect waits for the reconnect, however long that takes; the caller
   * of `publish` is a committed mutation that should not hang on the live fan-out.
   */
  commandTimeoutMs?: number;
}

const DEFAULT_CHANNEL_PREFIX = 'context-mesh:';
const DEFAULT_READY_TIMEOUT_MS = 10_000;
const DEFAULT_COMMAND_TIMEOUT_MS = 5_000;
/** Bound on waiting for a QUIT to close the socket in {@link RedisBus.close}. */
const CLOSE_GRACE_MS = 2_000;
/** How much of a malformed payload a warning quotes: enough to recognise it, not to flood logs. */
const SNIPPET_CHARS = 200;

const noopLogger: RedisBusLogger = { warn: () => {} };

/** Connections this module is closing on purpose: their 'close' is no outage. */
const closingClients = new WeakSet<Redis>();

/** `host:port` of a Redis URL for messages: never the credentials it may carry. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '6379'}`;
  } catch {
    return '<unparseable Redis URL>';
  }
}

function redisPassword(url: string): string | undefined {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === '' ? undefined : password;
  } catch {
    return undefined;
  }
}

const seq = z.int().min(0);

/**
 * The embedded context is checked only for being an object with a string `id` (its other fields
 * pass through): it comes from a replica of this service (same trust domain, same code modulo a
 * rolling deploy), and a deep check would duplicate, and drift from, the store's own mapping of
 * `ContextRecord`.
 */
const contextRecord = z.looseObject({ id: z.string() }).transform((value) => value as unknown as ContextRecord);

/**
 * One element of a bus payload. Objects keep only the known fields (zod strips the rest), so a
 * newer replica's extra fields (or junk) never reach a listener; anything else fails to parse.
 */
export const busMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('delivery'),
    agentId: z.string(),
    seq,
    prevSeq: seq,
    contextId: z.string(),
    reason: z.string(),
    context: contextRecord,
  }),
  z.object({
    kind: z.literal('context'),
    seq,
    change: z.enum(CONTEXT_CHANGE_KINDS),
    contextId: z.string(),
    context: contextRecord,
    causeId: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('conflict'),
    agentId: z.string().nullable(),
    seq,
    prevSeq: seq,
    conflictId: z.string(),
    // Checked like `context`: an object with a string id, from a replica of this service.
    conflict: z.looseObject({ id: z.string() }).transform((value) => value as unknown as ConflictRecord),
  }),
]) satisfies z.ZodType<BusMessage>;

/** One local subscription; an object (not the listener) so the same function may subscribe twice. */
interface Subscription {
  listener: (message: BusMessage) => void;
}

/** The local listeners of one Redis channel and the SUBSCRIBE they share. */
interface ChannelEntry {
  subscriptions: Set<Subscription>;
  /** Settles when Redis confirmed the SUBSCRIBE; later joiners await the same promise. */
  subscribed: Promise<unknown>;
}

/**
 * {@link MessageBus} across processes through Redis pub/sub (at-most-once: the durable log in
 * Neo4j recovers anything missed).
 *
 * Wire format: each `publish` call is ONE Redis PUBLISH of a JSON array of the call's messages, so
 * a batch costs one round trip and arrives contiguously and in order. Elements a reader does not
 * recognise are skipped with a warning (forward compatibility during rolling deploys); payloads
 * that are not a JSON array are ignored with a warning.
 *
 * Local listeners also receive their own process's messages through Redis rather than directly:
 * one path gives every process the same order and no double delivery.
 *
 * Two connections, because a connection that has subscribed may only (un)subscribe. Listeners of
 * one topic share one SUBSCRIBE (reference counted); the last unsubscribe sends UNSUBSCRIBE. Both
 * go through the one subscriber connection, and Redis answers a connection's commands in order, so
 * an UNSUBSCRIBE racing a new SUBSCRIBE for the same channel ends subscribed, as intended.
 *
 * After a lost connection ioredis reconnects (backoff 50 ms per attempt, at most 2 s) and
 * re-subscribes every channel it had subscribed (`autoResubscribe`). Messages published while the
 * subscriber is disconnected are lost; `publish` fails fast while the publisher is disconnected.
 */
export class RedisBus implements MessageBus {
  private readonly channels = new Map<string, ChannelEntry>();
  private closing: Promise<void> | undefined;

  /** Use {@link createRedisBus}, which also waits for both connections to be ready. */
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channelPrefix: string,
    private readonly logger: RedisBusLogger,
  ) {
    subscriber.on('message', (channel: string, payload: string) => this.dispatch(channel, payload));
  }

  /**
   * Resolves once Redis accepted the PUBLISH (the messages left this process). Rejects when the
   * publisher is disconnected (no offline queue: a stale broadcast is worse than none) or Redis does
   * not answer within `commandTimeoutMs`. A rejected publish can still reach subscribers if the
   * command was already on the wire; consumers order and deduplicate by `seq`.
   */
  async publish(topic: BusTopic, messages: readonly BusMessage[]): Promise<void> {
    this.assertOpen();
    if (messages.length === 0) return;
    await this.publisher.publish(this.channelOf(topic), JSON.stringify(messages));
  }

  /**
   * Resolves once Redis confirmed the subscription, so a message published afterwards (by any
   * process) reaches `listener`. The returned function is idempotent and never rejects: a failed
   * UNSUBSCRIBE is logged, and the channel's later messages are simply dropped here.
   */
  async subscribe(topic: BusTopic, listener: (message: BusMessage) => void): Promise<() => Promise<void>> {
    this.assertOpen();
    const channel = this.channelOf(topic);
    const subscription: Subscription = { listener };
    let entry = this.channels.get(channel);
    if (entry === undefined) {
      entry = { subscriptions: new Set(), subscribed: this.subscriber.subscribe(channel) };
      this.channels.set(channel, entry);
    }
    entry.subscriptions.add(subscription);
    try {
      await entry.subscribed;
    } catch (err) {
      void this.release(channel, entry, subscription);
      throw new Error(`Redis SUBSCRIBE ${channel} failed: ${this.errorText(err)}`, { cause: err });
    }

    let unsubscribed = false;
    return async () => {
      if (unsubscribed) return;
      unsubscribed = true;
      await this.release(channel, entry, subscription);
    };
  }

  /** Quits both connections (or drops them if Redis is unreachable). Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.channels.clear();
      await Promise.all([closeClient(this.publisher), closeClient(this.subscriber)]);
    })();
    return this.closing;
  }

  private channelOf(topic: BusTopic): string {
    return this.channelPrefix + topicKey(topic);
  }

  private assertOpen(): void {
    if (this.closing !== undefined) throw new Error('RedisBus is closed');
  }

  /** Drops one subscription; the channel's last one sends UNSUBSCRIBE. */
  private async release(channel: string, entry: ChannelEntry, subscription: Subscription): Promise<void> {
    entry.subscriptions.delete(subscription);
    // A newer entry may have replaced this one (after a failed SUBSCRIBE): leave it alone.
    if (entry.subscriptions.size > 0 || this.channels.get(channel) !== entry || this.closing !== undefined) return;
    this.channels.delete(channel);
    try {
      // Also sent after a failed SUBSCRIBE: one that timed out may still reach Redis later, and this
      // UNSUBSCRIBE follows it on the same connection, so no orphaned subscription remains.
      await this.subscriber.unsubscribe(channel);
    } catch (err) {
      this.logger.warn(
        { channel, err: this.errorText(err) },
        'Redis UNSUBSCRIBE failed; the channel stays subscribed, its messages are dropped',
      );
    }
  }

  private dispatch(channel: string, payload: string): void {
    const entry = this.channels.get(channel);
    if (entry === undefined) return; // unsubscribed while the message was on its way
    const messages = this.decode(channel, payload);
    for (const message of messages) {
      // Copy: a listener that unsubscribes (or subscribes) must not disturb this iteration.
      for (const { listener } of [...entry.subscriptions]) {
        try {
          listener(message);
        } catch (err) {
          // Thrown into ioredis' socket handler it would break the connection for every listener.
          this.logger.warn({ channel, err: this.errorText(err) }, 'bus listener threw; continuing with the others');
        }
      }
    }
  }

  private decode(channel: string, payload: string): BusMessage[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed)) {
      this.logger.warn({ channel, payload: payload.slice(0, SNIPPET_CHARS) }, 'ignoring malformed bus message: not a JSON array');
      return [];
    }
    const messages: BusMessage[] = [];
    let skipped = 0;
    for (const element of parsed as unknown[]) {
      const message = busMessageSchema.safeParse(element);
      if (message.success) messages.push(message.data);
      else skipped += 1;
    }
    if (skipped > 0) {
      this.logger.warn({ channel, skipped, payload: payload.slice(0, SNIPPET_CHARS) }, 'ignoring unrecognised bus messages');
    }
    return messages;
  }

  private errorText(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
  }
}

async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  closingClients.add(client);
  if (client.status === 'reconnecting') {
    // No socket, only a pending retry: disconnect() cancels it, and no 'end' will follow.
    client.disconnect();
    return;
  }
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  if (client.status === 'ready') {
    try {
      await client.quit();
    } catch {
      client.disconnect();
    }
  } else {
    // Connecting: QUIT would wait for a connection that may never come.
    client.disconnect();
  }
  // Bounded: the socket normally closes at once, but close() must not hang on a sick network.
  await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
}

/**
 * Logs a connection's outages once each (lost, first error, restored) rather than every
 * reconnect attempt, which would repeat up to every 2 s for as long as Redis is down.
 */
function watchConnection(client: Redis, role: string, where: string, password: string | undefined, logger: RedisBusLogger): () => string {
  let lastError = '';
  let wasReady = false;
  let outageSince: number | undefined;
  let errorLogged = false;
  // Server replies (e.g. to AUTH) could in principle echo what they were sent.
  const redact = (text: string): string => (password === undefined ? text : text.split(password).join('***'));

  client.on('error', (err: Error) => {
    lastError = redact(err.message);
    if (errorLogged || closingClients.has(client)) return;
    errorLogged = true;
    logger.warn({ redis: where, role, err: lastError }, 'Redis connection error; retrying');
  });
  client.on('close', () => {
    if (!wasReady || outageSince !== undefined || closingClients.has(client)) return;
    outageSince = Date.now();
    logger.warn({ redis: where, role }, 'Redis connection lost; reconnecting');
  });
  client.on('ready', () => {
    if (outageSince !== undefined) {
      logger.warn({ redis: where, role, downMs: Date.now() - outageSince }, 'Redis connection restored');
    }
    wasReady = true;
    outageSince = undefined;
    errorLogged = false;
  });
  return () => lastError;
}

function waitReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once('ready', onReady);
  });
}

/**
 * Connects a {@link RedisBus} to `url` (`redis://[[user]:password@]host[:port][/db]`, or
 * `rediss://` for TLS) and resolves once both its connections are ready. Until then ioredis keeps
 * retrying, so a Redis that starts a moment after the API is fine; after `readyTimeoutMs` it
 * rejects with an error naming host:port (never the password) and the last connection error.
 */
export async function createRedisBus(url: string, options: RedisBusOptions = {}): Promise<RedisBus> {
  const logger = options.logger ?? noopLogger;
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const commandTimeout = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const where = describeRedisUrl(url);
  const password = redisPassword(url);

  const publisher = new Redis(url, {
    connectionName: 'context-mesh-bus-pub',
    commandTimeout,
    // Fail fast while disconnected instead of queueing stale broadcasts (see RedisBus.publish).
    enableOfflineQueue: false,
  });
  const subscriber = new Redis(url, {
    connectionName: 'context-mesh-bus-sub',
    commandTimeout,
    // Kept (the default): a SUBSCRIBE during a short outage completes on reconnect instead of failing.
    enableOfflineQueue: true,
    autoResubscribe: true,
  });
  const lastErrors = [
    watchConnection(publisher, 'publisher', where, password, logger),
    watchConnection(subscriber, 'subscriber', where, password, logger),
  ];

  const ready = await Promise.all([waitReady(publisher, readyTimeoutMs), waitReady(subscriber, readyTimeoutMs)]);
  if (!ready.every(Boolean)) {
    await Promise.all([closeClient(publisher), closeClient(subscriber)]);
    const lastError = lastErrors.map((get) => get()).find((text) => text !== '');
    throw new Error(`Redis at ${where} was not ready within ${readyTimeoutMs} ms${lastError === undefined ? '' : `: ${lastError}`}`);
  }
  return new RedisBus(publisher, subscriber, options.channelPrefix ?? DEFAULT_CHANNEL_PREFIX, logger);
}
