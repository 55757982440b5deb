import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's chromium (scripts/chromium.sh installs it); CHROMIUM_PATH names another one. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * As root it needs --no-sandbox; without the background-networking flags Chromium keeps trying to reach
 * Google's hosts, which this machine's closed network refuses.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium with a fresh, empty profile, driven by playwright-core (which downloads nothing). */
export class HeadlessChromium {
  private constructor(
    private readonly context: BrowserContext,
    private readonly profile: string,
    readonly page: Page,
  ) {}

  static async launch(): Promise<HeadlessChromium> {
    if (!existsSync(chromiumPath)) {
      throw new Error(`${chromiumPath} is missing: run "bash scripts/chromium.sh" (or set CHROMIUM_PATH)`);
    }
    // The profile directory is Chromium's --user-data-dir; Playwright passes it for a persistent context.
    const profile = mkdtempSync(join(tmpdir(), 'nestjs-ami-chromium-'));
    try {
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: chromiumPath,
        headless: true,
        args: FLAGS,
        viewport: { width: 1100, height: 640 },
        timeout: 30_000,
      });
      const page = context.pages()[0] ?? (await context.newPage());
      return new HeadlessChromium(context, profile, page);
    } catch (error) {
      rmSync(profile, { recursive: true, force: true });
      throw error;
    }
  }

  /** Closes the browser (its processes end) and deletes the profile. */
  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profile, { recursive: true, force: true });
  }
}
