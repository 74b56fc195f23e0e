// Headless Chromium for the end-to-end tests: one launch with the flags every test uses, the
// page helpers they share (wait for text, type into the Web Chat send box), and the artifacts
// folder for screenshots. A missing browser fails with the fix instead of hiding the test.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches headless Chromium (npm test needs it: README; .ci/run installs it). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** test-artifacts/<name>, created; screenshots go there. */
export function artifactsDir(name: string): string {
  const dir = resolve(import.meta.dirname, '../../test-artifacts', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Waits until the page shows `text` (generous: on a loaded CI machine Chromium, Web Chat's bundle
 * and the bot's turn share two cores with other test files; a shown text ends the wait at once).
 */
export async function waitForText(page: Page, text: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction((t) => document.body.innerText.includes(t), text, { timeout });
}

/** Types a message into Web Chat's send box and sends it. */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.locator('[data-id="webchat-sendbox-input"]');
  await box.fill(text);
  await box.press('Enter');
}
