/** Header names whose values never reach a log line or an error message, whatever the case. */
export const ALWAYS_SENSITIVE_HEADERS = ['secret', 'key'] as const;

export const REDACTED = '<redacted>';

export function sensitiveHeaderSet(extra: readonly string[] = []): ReadonlySet<string> {
  return new Set([...ALWAYS_SENSITIVE_HEADERS, ...extra.map((name) => name.toLowerCase())]);
}

/** A copy of an action or message fit for a log line: sensitive values replaced, variables included. */
export function redactHeaders(
  headers: Readonly<Record<string, unknown>>,
  sensitive: ReadonlySet<string>,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const name in headers) {
    const value = headers[name];
    if (name === 'variables' && typeof value === 'object' && value !== null) {
      copy[name] = redactHeaders(value as Record<string, unknown>, sensitive);
    } else {
      copy[name] = sensitive.has(name.toLowerCase()) ? REDACTED : value;
    }
  }
  return copy;
}
