/**
 * A Redis URL fit for a log line or an error: its password (and a lone user-info secret, as in
 * `redis://:secret@host`) becomes `<redacted>`. Something that is not a URL is not echoed at all.
 */
export function redactRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<not a URL>';
  }
  if (parsed.password !== '') parsed.password = 'redacted';
  const redacted = parsed.toString().replace(':redacted@', ':<redacted>@');
  // The query can carry a password too (redis://host?password=...), as some clients accept.
  return redacted.replace(/([?&](?:password|pass|secret)=)[^&#]*/gi, '$1<redacted>');
}

/** Removes every occurrence of the URL's password from a message coming from elsewhere (ioredis). */
export function withoutPassword(message: string, url: string | undefined): string {
  if (url === undefined) return message;
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return message;
  }
  return password === '' ? message : message.split(password).join('<redacted>');
}
