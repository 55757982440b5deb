const MAX_CACHED_NAMES = 10_000;
/** Asterisk's longest event name is under 40 characters: a longer one is lower-cased each time, not kept. */
const MAX_CACHED_NAME_LENGTH = 64;

/**
 * Lower-cases event names for case-insensitive matching. Names repeat endlessly, so each is lower-cased
 * once; bounded in count and in length, so a server inventing names forever, or huge ones, cannot grow it
 * past a few hundred KiB.
 */
export class EventNameCase {
  private readonly lowerCased = new Map<string, string>();

  lower(name: string): string {
    let lower = this.lowerCased.get(name);
    if (lower === undefined) {
      lower = name.toLowerCase();
      if (this.lowerCased.size < MAX_CACHED_NAMES && name.length <= MAX_CACHED_NAME_LENGTH)
        this.lowerCased.set(name, lower);
    }
    return lower;
  }

  /** Names kept (for tests of the bound). */
  get size(): number {
    return this.lowerCased.size;
  }
}
