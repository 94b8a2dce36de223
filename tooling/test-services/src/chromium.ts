import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { serviceAvailable } from './service-available.js';

/** Debian's Chromium: the only browser the suites use (nothing downloads one). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Whether the browser suites run (see {@link serviceAvailable}): Debian package `chromium`. */
export function chromiumAvailable(): boolean {
  return serviceAvailable({ command: CHROMIUM_PATH, versionArgs: ['--version'], aptPackage: 'chromium' });
}

/** A headless Chromium with a throw-away profile; `close()` ends it and removes the profile. */
export interface HeadlessChromium {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches the system Chromium headless, with its own temporary profile, no network beyond what
 * the page asks for and one renderer process (the suites run on 2-core machines).
 */
export async function launchChromium(): Promise<HeadlessChromium> {
  const profile = await mkdtemp(join(tmpdir(), 'mcapi-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    userDataDir: profile,
    // `--no-sandbox` only when running as root, where Chromium refuses to start otherwise (CI
    // containers); the pages loaded are the sandbox's own, on 127.0.0.1.
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--renderer-process-limit=1',
    ],
    protocolTimeout: 60_000,
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
