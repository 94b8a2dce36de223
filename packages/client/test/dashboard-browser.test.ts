// The sandbox's web dashboard in a real browser: Debian's Chromium, headless, driven by
// puppeteer-core (nothing downloads a browser). One launch for the whole file. Screenshots go to
// .vitest/screenshots/ as test artifacts.
import { X509Certificate, createPublicKey } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCsr, generateRsaKeyPair } from '@mcapi/keytool';
import { type HeadlessChromium, chromiumAvailable, launchChromium } from '@mcapi/test-services';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { logMark, logSince, randomPan, startWorld, today, type World } from './helpers.js';

const haveChromium = chromiumAvailable();
const screenshots = join(import.meta.dirname, '..', '.vitest', 'screenshots');

/** The file's text once the browser has finished writing it (a download is renamed into place). */
async function waitForFile(path: string, timeoutMs = 30_000): Promise<string> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; await sleep(100)) {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text?.includes('-----END CERTIFICATE-----')) return text;
  }
  throw new Error(`${path} was not downloaded within ${timeoutMs} ms`);
}

describe.skipIf(!haveChromium)('sandbox web dashboard in headless Chromium', () => {
  let world: World;
  let chromium: HeadlessChromium;
  let page: Page;
  let temp: string;
  // Script errors and CSP violations: the pages must run with neither.
  const problems: string[] = [];

  beforeAll(async () => {
    [world, chromium] = await Promise.all([startWorld(), launchChromium()]);
    temp = await mkdtemp(join(tmpdir(), 'mcapi-dashboard-browser-'));
    await mkdir(screenshots, { recursive: true });
    page = await chromium.browser.newPage();
    page.setDefaultTimeout(30_000);
    await page.setViewport({ width: 1280, height: 900 });
    page.on('pageerror', (error) => problems.push(`pageerror: ${(error as Error).message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
  }, 120_000);

  beforeEach(() => {
    problems.length = 0;
  });

  afterAll(async () => {
    await chromium?.close();
    await world?.close();
    if (temp) await rm(temp, { recursive: true, force: true });
  });

  const open = async (path: string) => {
    const response = await page.goto(`${world.sandbox.urls.dashboard}${path}`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
  };
  const shot = (name: string) => page.screenshot({ path: join(screenshots, `dashboard-${name}.png`), fullPage: true });
  const rowState = (id: string) => page.$eval(`tr[data-key-id="${id}"] td.state`, (cell) => cell.textContent);

  it('opens at /_dashboard/ and reaches every page from the menu, without a script error', async () => {
    await open('/');
    expect(await page.title()).toBe('Sandbox dashboard · mcapi sandbox');
    for (const title of ['Requests', 'Keys', 'Faults', 'Webhooks']) {
      await Promise.all([page.waitForNavigation(), page.click(`nav a:nth-child(${['Requests', 'Keys', 'Faults', 'Webhooks'].indexOf(title) + 1})`)]);
      expect(await page.$eval('h1', (h1) => h1.textContent)).toBe(title);
    }
    expect(problems).toEqual([]);
  });

  it('renews a key with a CSR file made by keytool, downloads the certificate, switches the active response key', async () => {
    const { privateKey } = await generateRsaKeyPair(2048);
    const csrFile = join(temp, 'renewal.csr');
    await writeFile(csrFile, createCsr({ privateKey, subject: { CN: 'renewal rehearsal', O: 'mcapi' } }));
    const first = world.sandbox.dashboard.signCsr({
      csr: createCsr({ privateKey: (await generateRsaKeyPair(2048)).privateKey, subject: { CN: 'this year' } }),
      purpose: 'response-decryption',
      project: 'rehearsal',
    });

    await open('/ui/keys');
    expect(await rowState(first.id)).toBe('active');
    await page.click(`tr[data-key-id="${first.id}"] button[data-renew-purpose]`);
    const upload = await page.$('#renew input[type=file]');
    await upload!.uploadFile(csrFile);
    // "Renew…" on the key's row filled in its purpose and project.
    expect(await page.$eval('#renew select[name=purpose]', (select) => (select as unknown as { value: string }).value)).toBe('response-decryption');
    expect(await page.$eval('#renew input[name=project]', (input) => (input as unknown as { value: string }).value)).toBe('rehearsal');
    await page.click('#renew button[type=submit]');
    await page.waitForSelector('#download:not([hidden])');
    await shot('keys-renewed');

    // The download is the certificate for the CSR's key, signed by the sandbox CA.
    const downloads = join(temp, 'downloads');
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    const name = await page.$eval('#download', (link) => (link as unknown as { download: string }).download);
    expect(name).toMatch(/^response-decryption-[0-9a-f]{12}\.crt$/);
    await page.click('#download');
    const pem = await waitForFile(join(downloads, name));
    const certificate = new X509Certificate(pem);
    expect(certificate.checkIssued(new X509Certificate(world.sandbox.caCertificate))).toBe(true);
    expect(certificate.publicKey.export({ format: 'der', type: 'spki' })).toEqual(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));

    const renewed = world.sandbox.dashboard.listKeys('rehearsal').find((key) => key.certificate.trim() === pem.trim())!;
    expect(renewed).toMatchObject({ purpose: 'response-decryption', active: false });
    await page.waitForSelector(`tr[data-key-id="${renewed.id}"]`);
    expect(await rowState(renewed.id)).toBe('standby');
    await Promise.all([page.waitForNavigation(), page.click(`tr[data-key-id="${renewed.id}"] button[data-call$="/activate"]`)]);
    expect(await rowState(renewed.id)).toBe('active');
    expect(await rowState(first.id)).toBe('standby');
    expect(world.sandbox.dashboard.listKeys('rehearsal').find((key) => key.active)?.id).toBe(renewed.id);
    expect(problems).toEqual([]);
  });

  it('shows a request made by the client appear live, with its checks and its decrypted body masked', async () => {
    await open('/ui/requests');
    const pan = randomPan();
    const masked = `${pan.slice(0, 6)}******${pan.slice(-4)}`;
    await world.client.benefitAllocation.assignSegment({ cardNumber: pan, segments: [{ code: 'DART', effectiveDate: today() }] });
    const id = world.sandbox.log().at(-1)!.id;
    // No reload: the list refreshes itself.
    await page.waitForSelector(`#requests tr[data-request-id="${id}"]`);
    expect(await page.$eval(`#requests tr[data-request-id="${id}"]`, (row) => row.textContent)).toMatch(/POST \/loyalty\/benefits\/card-segments[\s\S]*200[\s\S]*mtls/);
    await shot('requests');

    await Promise.all([page.waitForNavigation(), page.click(`#requests tr[data-request-id="${id}"] a`)]);
    const requestBody = await page.$eval('#request-body', (pre) => pre.textContent);
    expect(requestBody).toContain(`"cardNumber": ${masked}`);
    expect(await page.$eval('#response-body', (pre) => pre.textContent)).toContain('PC4657');
    const steps = await page.$$eval('#steps tbody tr', (rows) => rows.map((row) => [...row.querySelectorAll('td')].slice(0, 2).map((cell) => cell.textContent)));
    expect(steps).toEqual([
      ['client certificate from the sandbox CA', 'passed'],
      ['certificate registered on the dashboard', 'passed'],
      ['request payload decrypted', 'passed'],
      ['response encrypted', 'passed'],
    ]);
    expect(await page.content()).not.toContain(pan);
    await shot('request-detail');
    expect(problems).toEqual([]);
  });

  it('adds a fault in the page, sees the client get it once, and removes a rule', async () => {
    await open('/ui/faults');
    await page.select('#add-fault select[name=listener]', 'benefitAllocation');
    await page.type('#add-fault input[name=path]', '/loyalty/benefits/card-segments');
    await page.select('#add-fault select[name=status]', '503');
    await page.type('#add-fault input[name=times]', '1');
    await Promise.all([page.waitForNavigation(), page.click('#add-fault button[type=submit]')]);
    expect(world.sandbox.dashboard.faults()).toEqual([{ listener: 'benefitAllocation', path: '/loyalty/benefits/card-segments', status: 503, times: 1 }]);
    expect(await page.$eval('#faults tbody', (body) => body.textContent)).toContain('answer 503');
    await shot('faults');

    const before = logMark(world.sandbox);
    await world.client.benefitAllocation.assignSegment({ cardNumber: randomPan(), segments: [{ code: 'DART', effectiveDate: today() }] });
    // The fault answered the first attempt; the client's retry got through.
    const sent = logSince(world.sandbox, before);
    expect(sent.map((entry) => entry.status)).toEqual([503, 200]);
    await open('/ui/requests?status=5xx');
    expect(await page.$eval(`#requests tr[data-request-id="${sent[0]!.id}"]`, (row) => row.textContent)).toMatch(/503[\s\S]*status 503/);

    world.sandbox.dashboard.setFaults([{ latencyMs: 5 }, { path: '/send', status: 429 }]);
    await open('/ui/faults');
    await Promise.all([page.waitForNavigation(), page.click('#faults tbody tr:nth-child(1) button[data-remove-fault]')]);
    expect(world.sandbox.dashboard.faults()).toEqual([{ path: '/send', status: 429 }]);
    expect(await page.$$eval('#faults tbody tr', (rows) => rows.length)).toBe(1);
    world.sandbox.dashboard.clearFaults();
    expect(problems).toEqual([]);
  });

  it('shows a <script> payload as inert text', async () => {
    const hostile = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
    world.sandbox.dashboard.addFault({ path: `/none/${hostile}`, latencyMs: 1 });
    try {
      await open('/ui/faults');
      expect(await page.$eval('#faults tbody td.mono', (cell) => cell.textContent)).toBe(`/none/${hostile}`);
      expect(await page.$$eval('#faults img, main script', (elements) => elements.length)).toBe(0);
      expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    } finally {
      world.sandbox.dashboard.clearFaults();
    }
    expect(problems).toEqual([]);
  });
});
