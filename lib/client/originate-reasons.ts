// OriginateResponse's `Reason` is the last control frame Asterisk saw on the dialled channel.
const REASONS: Readonly<Record<string, string>> = {
  '0': 'the channel could not be created or dialled',
  '1': 'hung up before answering',
  '3': 'no answer before the timeout',
  '5': 'busy',
  '8': 'congestion',
};

/** `busy (Reason 5)`: a failed OriginateResponse's Reason in words. */
export function describeOriginateReason(reason: unknown): string {
  const code = typeof reason === 'string' ? reason : String(reason);
  const words = REASONS[code];
  return words === undefined ? `Reason ${code}` : `${words} (Reason ${code})`;
}
