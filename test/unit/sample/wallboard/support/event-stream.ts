/** One server-sent event: its `event:` name and its JSON data. */
export interface StreamedEvent {
  type: string;
  data: unknown;
}

/**
 * Reads a server-sent event stream with fetch: `next(predicate)` resolves with the first event (from the
 * start of the stream) that matches, `close()` aborts it, `ended` tells whether the server ended it.
 */
export class EventStream {
  readonly events: StreamedEvent[] = [];
  ended = false;
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly abort: AbortController) {}

  static async open(url: string): Promise<EventStream> {
    const abort = new AbortController();
    const stream = new EventStream(abort);
    const response = await fetch(url, { signal: abort.signal, headers: { accept: 'text/event-stream' } });
    if (!response.ok || response.body === null) throw new Error(`${url} answered ${response.status}`);
    void stream.read(response.body);
    return stream;
  }

  next(predicate: (event: StreamedEvent) => boolean, timeoutMs = 10_000): Promise<StreamedEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.find(predicate);
        if (found === undefined && !this.ended) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        if (found === undefined) reject(new Error('the stream ended without the event'));
        else resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no such event within ${timeoutMs} ms; got ${JSON.stringify(this.events)}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
        this.wake();
      }
    } catch {
      // Aborted by close(), or the connection dropped: either way the stream is over.
    }
    this.ended = true;
    this.wake();
  }

  private parse(block: string): void {
    let type = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) type = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) this.events.push({ type, data: JSON.parse(data.join('\n')) });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
