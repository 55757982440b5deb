import type { Redis } from 'ioredis';

/**
 * The consumer's own connection for blocking reads (a blocked XREAD/XREADGROUP holds its connection, so it
 * cannot share the caller's). stop() ends a blocked read early with CLIENT UNBLOCK sent on the caller's
 * client, which returns the read as a timeout: entries it would have taken stay in the stream.
 */
export class BlockingConnection {
  private readonly redis: Redis;
  private clientId: string | undefined;

  constructor(
    parent: Redis,
    private readonly commands: Redis,
  ) {
    // No retry limit on this connection: a read waits for Redis to come back; stop() closes it anyway.
    this.redis = parent.duplicate({ lazyConnect: true, maxRetriesPerRequest: null });
    // Errors reach the consumer through its rejected commands; without a listener ioredis prints them.
    this.redis.on('error', () => undefined);
    this.redis.on('close', () => {
      this.clientId = undefined;
    });
  }

  async read(command: string, args: (string | number)[]): Promise<unknown> {
    if (this.clientId === undefined) this.clientId = String(await this.redis.call('CLIENT', 'ID'));
    return this.redis.call(command, ...args);
  }

  /** Ends a blocked read now, if the connection's ID is known; never rejects. */
  async interrupt(): Promise<void> {
    if (this.clientId === undefined) return;
    try {
      await this.commands.call('CLIENT', 'UNBLOCK', this.clientId);
    } catch {
      // The read ends on its own within blockMs, or close() ends it.
    }
  }

  close(): void {
    this.redis.disconnect();
  }
}
