import type { AmiMessage } from '../protocol/ami-message.js';

/** An action as the fake server received it: its headers as written on the wire, repeats kept in order. */
export class FakeAmiAction {
  constructor(
    readonly headers: AmiMessage,
    /** Which connection sent it (`FakeAmiConnection.id`). */
    readonly connectionId: number,
    /** Why Asterisk would refuse the frame itself (a line over 1024 bytes, too many headers). */
    readonly problem?: string,
  ) {}

  /** The `Action:` header, as spelled by the sender. */
  get name(): string {
    return this.get('Action') ?? '';
  }

  get actionId(): string | undefined {
    return this.get('ActionID');
  }

  /** The first value of a header, the name matched case-insensitively as Asterisk does. */
  get(header: string): string | undefined {
    return this.getAll(header)[0];
  }

  /** Every value of a header, in order (`Variable:` on Originate). */
  getAll(header: string): string[] {
    const lower = header.toLowerCase();
    const values: string[] = [];
    for (const name in this.headers) {
      if (name.toLowerCase() !== lower) continue;
      const value = this.headers[name];
      if (typeof value === 'string') values.push(value);
      else if (value !== undefined) values.push(...value);
    }
    return values;
  }
}
