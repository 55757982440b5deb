export type FakeHeaderValue = string | number | boolean | readonly (string | number | boolean)[];

/**
 * A message the fake server sends: header names as Asterisk spells them, in wire order. An array
 * repeats its header (`Output:`, `Variable:`); `undefined` leaves the header out.
 */
export type FakeMessage = Readonly<Record<string, FakeHeaderValue | undefined>>;

/**
 * Writes a message in Asterisk's framing: `Key: Value\r\n` lines and a blank line. With `actionId`,
 * an `ActionID:` line goes right after the first header, where Asterisk puts it, unless the message
 * already has one.
 */
export function formatMessage(message: FakeMessage, actionId?: string): string {
  let text = '';
  let idPending = actionId !== undefined && !hasHeader(message, 'ActionID');
  for (const [name, value] of Object.entries(message)) {
    if (value === undefined) continue;
    for (const item of asList(value)) text += `${name}: ${String(item)}\r\n`;
    if (idPending) {
      text += `ActionID: ${actionId}\r\n`;
      idPending = false;
    }
  }
  return `${text}\r\n`;
}

export function hasHeader(message: FakeMessage, header: string): boolean {
  const lower = header.toLowerCase();
  return Object.keys(message).some((name) => name.toLowerCase() === lower && message[name] !== undefined);
}

function asList(value: FakeHeaderValue): readonly (string | number | boolean)[] {
  return typeof value === 'object' ? value : [value];
}
