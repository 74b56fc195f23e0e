// End to end in headless Chromium: the page at "/" loads the official Web Chat bundle, connects
// through our Direct Line endpoint, and a shopper searches, asks for more like a product, takes
// the personality survey by buttons and typing, reloads and resumes, and after "new chat" is still
// the same customer (the server's HttpOnly identity cookie). Real NLU, recsys, surveys
// and database. Screenshots go to test-artifacts/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchChromium, send, waitForText } from '../support/chromium.js';
import { startChatServer, type ChatServer } from './chat-server.js';

let ARTIFACTS: string;
let server: ChatServer;
let browser: Browser;

beforeAll(async () => {
  ARTIFACTS = artifactsDir('webchat');
  server = await startChatServer('postgres');
  browser = await launchChromium();
}, 600_000); // a cold model cache on a loaded machine: training and seeding beside other servers

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

// Suggested actions (the visible quick-reply bar, not the screen-reader live region copy).
function suggested(page: Page, name: string) {
  return page.getByRole('toolbar', { name: 'Suggested actions' }).getByRole('button', { name });
}

describe('web chat in a real browser', () => {
  it('searches, shows cards, "More like this", takes the survey, reloads and resumes', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await expect(page.title()).resolves.toContain('Northwind Outfitters');
    await waitForText(page, 'the Northwind Outfitters assistant');

    await send(page, 'I need a warm jacket under 100');
    await waitForText(page, 'Here is what I found');
    const moreButtons = page.getByRole('button', { name: 'More like this' });
    await moreButtons.first().waitFor();
    expect(await moreButtons.count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByRole('button', { name: 'Add to basket' }).count()).toBeGreaterThanOrEqual(2);
    // Every card shows a price within the budget the shopper gave.
    const prices = (await page.evaluate(() => document.body.innerText.match(/\$\d+\.\d\d/g) ?? [])).map((p) =>
      Number(p.slice(1)),
    );
    expect(prices.length).toBeGreaterThanOrEqual(2);
    for (const p of prices) expect(p).toBeLessThanOrEqual(100);
    await page.screenshot({ path: `${ARTIFACTS}/1-search.png` });

    await moreButtons.first().click();
    await waitForText(page, 'More like this:');
    await page.screenshot({ path: `${ARTIFACTS}/2-more-like-this.png` });

    await send(page, 'I want to take the personality survey');
    await suggested(page, 'Yes, I agree').waitFor({ timeout: 60_000 });
    await suggested(page, 'Yes, I agree').click();
    await waitForText(page, '(1 of 20)');
    await suggested(page, '4 · Moderately accurate').click();
    await waitForText(page, '(2 of 20)');
    await send(page, 'agree');
    await waitForText(page, '(3 of 20)');
    await suggested(page, '2 · Moderately inaccurate').click();
    await waitForText(page, '(4 of 20)');
    await page.screenshot({ path: `${ARTIFACTS}/3-survey.png` });

    await page.reload();
    // The same conversation comes back with its history, and the survey continues at item 4.
    await waitForText(page, '(4 of 20)');
    await waitForText(page, 'Here is what I found');
    // Exactly one bubble: the history is replayed once, not duplicated.
    expect(await page.locator('.webchat__bubble__content', { hasText: 'Here is what I found' }).count()).toBe(
      1,
    );
    await send(page, '5');
    await waitForText(page, '(5 of 20)');
    await page.screenshot({ path: `${ARTIFACTS}/4-resumed.png` });

    const sessions = await server.db.prisma.surveySession.findMany({ include: { answers: true } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.instrumentId).toBe('mini-ipip-20');
    expect(sessions[0]!.answers.map((a) => a.value).sort()).toEqual([2, 4, 4, 5]);
    const stored = await server.db.prisma.message.findMany({ where: { direction: 'user' } });
    expect(
      stored.filter((m) => m.intent !== null && m.confidence !== null && m.sentiment !== null).length,
    ).toBeGreaterThanOrEqual(5);
    expect(stored.some((m) => m.text.includes('warm jacket'))).toBe(false);

    // The identity cookie is HttpOnly (no script sees it) and brings the shopper back: a new
    // conversation continues the same survey at item 5.
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'mkt_chat_id')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    expect(await page.evaluate(() => document.cookie)).not.toContain('mkt_chat_id');
    await Promise.all([page.waitForEvent('load'), page.locator('#new-chat').click()]);
    await waitForText(page, 'the Northwind Outfitters assistant');
    expect(await page.evaluate(() => document.body.innerText)).not.toContain('Here is what I found');
    await send(page, 'continue the survey');
    await waitForText(page, '(5 of 20)');
    expect(await server.db.prisma.surveySession.count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
