import { EventEmitter } from 'node:events';
import { topicKey, type BusMessage, type BusTopic, type MessageBus } from '../../domain/broadcast/bus.js';

/** The bus of a single process (no REDIS_URL): an EventEmitter per topic key. */
export class InProcessBus implements MessageBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per subscription; thousands of agents subscribed is normal, not a leak.
    this.emitter.setMaxListeners(0);
  }

  async publish(topic: BusTopic, messages: readonly BusMessage[]): Promise<void> {
    const key = topicKey(topic);
    for (const message of messages) this.emitter.emit(key, message);
  }

  async subscribe(topic: BusTopic, listener: (message: BusMessage) => void): Promise<() => Promise<void>> {
    const key = topicKey(topic);
    this.emitter.on(key, listener);
    return async () => {
      this.emitter.off(key, listener);
    };
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
