const MAX_CACHED_NAMES = 10_000;

/**
 * Lower-cases event names for case-insensitive matching. Names repeat endlessly, so each is lower-cased
 * once; bounded, so a server inventing names forever cannot grow it without limit.
 */
export class EventNameCase {
  private readonly lowerCased = new Map<string, string>();

  lower(name: string): string {
    let lower = this.lowerCased.get(name);
    if (lower === undefined) {
      lower = name.toLowerCase();
      if (this.lowerCased.size < MAX_CACHED_NAMES) this.lowerCased.set(name, lower);
    }
    return lower;
  }
}
