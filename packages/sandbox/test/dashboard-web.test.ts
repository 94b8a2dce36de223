// The web dashboard as HTTP (no browser): pages, escaping, masking, verification steps and the
// security headers. The browser suite (packages/client/test/dashboard-browser.test.ts) drives it.
import { createServer } from 'node:http';
import { createOAuth1Signer } from '@mcapi/auth';
import { createCsr, generateRsaKeyPair } from '@mcapi/keytool';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardListener } from '../src/dashboard/dashboard-http.js';
import { escapeHtml, html } from '../src/web/html.js';
import { webhooksPage } from '../src/web/webhooks-page.js';
import type { DashboardWebSources } from '../src/web/web-sources.js';
import { createFaultInjector } from '../src/gateway/faults.js';
import { createRequestLog } from '../src/gateway/request-log.js';
import { type Sandbox, startSandbox } from '../src/index.js';
import { crossBorderQuoteRequest, encryptFor, issueIdentity, mtlsAgent, send } from './helpers.js';

let sandbox: Sandbox;
let agent: Agent;
let signingKey: Awaited<ReturnType<typeof generateRsaKeyPair>>['privateKey'];
let consumerKey: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  agent = new Agent({ connect: { ca: sandbox.caCertificate } });
  ({ privateKey: signingKey } = await generateRsaKeyPair(2048));
  ({ consumerKey } = sandbox.dashboard.registerSigningKey({ csr: createCsr({ privateKey: signingKey, subject: { CN: 'web' } }) }));
}, 60_000);

afterAll(async () => {
  await agent.close();
  await sandbox.close();
});

async function page(path: string, accept = 'text/html') {
  const response = await request(`${sandbox.urls.dashboard}${path}`, { headers: { accept } });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

async function signedQuote(body: string, sendBody = body, path = '/send/v1/partners/SANDBOX_1/crossborder/quotes') {
  const url = `${sandbox.urls.crossBorder}${path}`;
  const authorization = await createOAuth1Signer({ consumerKey, signingKey }).authorize({ method: 'POST', url, body });
  return send(url, { method: 'POST', body: sendBody, headers: { authorization }, dispatcher: agent });
}

describe('web dashboard pages', () => {
  it('serves HTML to a browser at /_dashboard/ and JSON to scripts, with CSP and no caching', async () => {
    const browser = await page('/', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(browser.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(browser.text).toContain('<nav>');
    expect(browser.headers['content-security-policy']).toMatch(/script-src 'self'.*frame-ancestors 'none'/);
    expect(browser.headers['x-frame-options']).toBe('DENY');
    expect(browser.headers['cache-control']).toBe('no-store');
    const script = await page('/', '*/*');
    expect(JSON.parse(script.text)).toMatchObject({ urls: sandbox.urls });
    for (const path of ['/ui/requests', '/ui/keys', '/ui/faults', '/ui/webhooks', '/assets/dashboard.js', '/assets/dashboard.css']) {
      expect((await page(path)).status, path).toBe(200);
    }
    // No inline script anywhere: the CSP forbids it, so the pages must not need it.
    expect((await page('/ui/keys')).text).not.toMatch(/<script>|<script [^>]*>[^<]/);
  });

  it('shows a body and a fault path holding <script> as text, never as markup', async () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(1)>';
    await signedQuote(JSON.stringify(crossBorderQuoteRequest('0800204ACFQ', { note: hostile })));
    const entry = sandbox.log().at(-1)!;
    expect(entry.requestBody).toContain(hostile);
    sandbox.dashboard.addFault({ path: `/x/${hostile}`, method: hostile, latencyMs: 1 });
    try {
      const detail = (await page(`/ui/requests/${entry.id}`)).text;
      const faults = (await page('/ui/faults')).text;
      for (const markup of [detail, faults]) {
        expect(markup).not.toMatch(/<script>alert|<img src=x/i);
        expect(markup).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
      }
    } finally {
      sandbox.dashboard.clearFaults();
    }
  });

  it('lists the OAuth 1.0a checks step by step: a tampered body fails the body hash, later checks are skipped', async () => {
    const body = JSON.stringify(crossBorderQuoteRequest('0800201ACFQ'));
    const response = await signedQuote(body, JSON.stringify(crossBorderQuoteRequest('0800202ACFQ')));
    expect(response.status).toBe(401);
    const entry = sandbox.log().at(-1)!;
    expect(entry.steps.map((step) => [step.check, step.result])).toEqual([
      ['Authorization header', 'passed'],
      ['body hash', 'failed'],
      ['timestamp in window', 'skipped'],
      ['consumer key registered', 'skipped'],
      ['signature valid', 'skipped'],
      ['nonce fresh', 'skipped'],
    ]);
    const detail = (await page(`/ui/requests/${entry.id}`)).text;
    expect(detail).toContain('Error envelope sent back');
    expect(detail).toContain('AUTHENTICATION_FAILED');
    expect(detail).toMatch(/<td class="failed">failed<\/td><td>oauth_body_hash does not match/);

    const ok = await signedQuote(JSON.stringify(crossBorderQuoteRequest('0800203ACFQ')));
    expect(ok.status).toBe(200);
    expect(sandbox.log().at(-1)!.steps.filter((step) => step.result !== 'passed').map((step) => step.check)).toEqual([
      // No encryption on this call: the request body was plaintext, which Cross-Border allows.
      'request payload encrypted',
    ]);
  });

  it('shows the decrypted BAS body with the PAN masked, and the full PAN nowhere (page, JSON log)', async () => {
    const identity = await issueIdentity(sandbox, 'mtls');
    const bas = mtlsAgent(sandbox, identity);
    const pan = '5291070000000000123';
    const plaintext = `{"cardNumber":${pan},"segments":[{"code":"DART","effectiveDate":"2026-01-02"}]}`;
    const response = await send(`${sandbox.urls.benefitAllocation}/card-segments`, {
      method: 'POST',
      body: JSON.stringify({ encryptedData: await encryptFor(sandbox, plaintext) }),
      dispatcher: bas,
    });
    await bas.close();
    expect(response.status).toBe(200);
    const entry = sandbox.log().at(-1)!;
    expect(entry.requestBody).toBe('{"cardNumber":529107*********0123,"segments":[{"code":"DART","effectiveDate":"2026-01-02"}]}');
    const detail = (await page(`/ui/requests/${entry.id}`)).text;
    expect(detail).toContain('529107*********0123');
    expect(detail).toContain('PC4657');
    const log = (await page('/log', 'application/json')).text;
    for (const text of [detail, log, (await page('/ui/requests')).text]) expect(text).not.toContain(pan);
  });

  it('filters requests by API and status', async () => {
    const failed = (await page('/ui/requests?api=crossBorder&status=4xx')).text;
    expect(failed).toMatch(/class="status-4">401/);
    expect(failed).not.toMatch(/class="status-2">/);
    const bas = (await page('/ui/requests?api=benefitAllocation')).text;
    expect(bas).not.toContain('/send/v1/');
  });

  it('warns about keys expiring within 30 days and offers the active-key switch', async () => {
    const { privateKey } = await generateRsaKeyPair(2048);
    const soon = sandbox.dashboard.signCsr({ csr: createCsr({ privateKey, subject: { CN: 'soon' } }), purpose: 'mtls', project: 'expiring', validityDays: 10 });
    const first = sandbox.dashboard.signCsr({ csr: createCsr({ privateKey, subject: { CN: 'r1' } }), purpose: 'response-decryption', project: 'expiring' });
    const second = sandbox.dashboard.signCsr({ csr: createCsr({ privateKey, subject: { CN: 'r2' } }), purpose: 'response-decryption', project: 'expiring' });
    const keys = (await page('/ui/keys')).text;
    expect(keys).toMatch(new RegExp(`<tr class="expiring" data-key-id="${soon.id}"`));
    expect(keys).toMatch(new RegExp(`<tr class="" data-key-id="${first.id}"`));
    expect(keys).toContain(`data-call="POST /keys/${second.id}/activate"`);
    expect(keys).not.toContain(`data-call="POST /keys/${first.id}/activate"`);
  });
});

describe('html', () => {
  it('escapes every interpolated value except markup built by html', () => {
    const hostile = `<script>x()</script>"'&`;
    expect(html`<td title="${hostile}">${hostile}${html`<b>${hostile}</b>`}${[hostile, undefined, false]}</td>`.markup).toBe(
      `<td title="${escapeHtml(hostile)}">${escapeHtml(hostile)}<b>${escapeHtml(hostile)}</b>${escapeHtml(hostile)}</td>`,
    );
    expect(escapeHtml(hostile)).toBe('&lt;script&gt;x()&lt;/script&gt;&quot;&#39;&amp;');
  });
});

describe('webhooks page', () => {
  const sources = (webhooks?: DashboardWebSources['webhooks']): DashboardWebSources => ({
    dashboard: { listKeys: () => [] } as unknown as DashboardWebSources['dashboard'],
    faults: createFaultInjector([]),
    log: createRequestLog(),
    urls: () => ({}),
    now: Date.now,
    ...(webhooks && { webhooks }),
  });

  it("shows the sandbox's own webhooks and deliveries: a push to a closed port, retried and failed", async () => {
    const pushing = await startSandbox({ webhookSleep: async () => undefined });
    try {
      pushing.webhooks.register({ project: 'default', url: 'https://127.0.0.1:1/partner/webhook' });
      pushing.webhooks.notify({ project: 'default', body: { eventRef: 'ev-web-1', eventType: 'PAYMENT_STATUS_CHANGED', transactionType: 'PAYMENT' } });
      await pushing.webhooks.idle();
      const response = await request(`${pushing.urls.dashboard}/ui/webhooks`, { headers: { accept: 'text/html' } });
      const markup = await response.body.text();
      expect(markup).not.toContain('id="no-webhooks"');
      expect(markup).toContain('<li class="mono">https://127.0.0.1:1/partner/webhook</li>');
      expect(markup).toContain('PAYMENT PAYMENT_STATUS_CHANGED');
      expect(markup).toContain('<td class="failed">failed</td>');
      expect(markup.match(/<li>\d\d:\d\d:\d\d\.\d{3}:/g)).toHaveLength(4); // the first POST and 3 retries
    } finally {
      await pushing.close();
    }
  });

  it('says that no webhooks are sent when no webhook module is plugged in', () => {
    expect(webhooksPage(sources())).toContain('id="no-webhooks"');
  });

  it('shows the registered URLs and each delivery with its attempts, escaped', () => {
    const markup = webhooksPage(
      sources({
        endpoints: () => ['https://127.0.0.1:9/hook?<b>'],
        deliveries: () => [
          {
            id: 'd1',
            event: 'PAYMENT_STATUS<script>',
            url: 'https://127.0.0.1:9/hook',
            state: 'delivered',
            attempts: [
              { time: '2026-12-04T23:00:00.000Z', error: 'connect ECONNREFUSED' },
              { time: '2026-12-04T23:00:02.000Z', status: 200, durationMs: 12 },
            ],
          },
        ],
      }),
    );
    expect(markup).toContain('https://127.0.0.1:9/hook?&lt;b&gt;');
    expect(markup).toContain('PAYMENT_STATUS&lt;script&gt;');
    expect(markup).toMatch(/<li>23:00:00.000: <span class="failed">connect ECONNREFUSED<\/span><\/li><li>23:00:02.000: HTTP 200 in 12 ms<\/li>/);
  });
});

describe('dashboard listener without web sources', () => {
  it('serves only the JSON API', async () => {
    const listener = createServer(createDashboardListener({
      dashboard: sandbox.dashboard,
      faults: createFaultInjector([]),
      log: createRequestLog(),
      resetData: () => undefined,
      info: () => ({}),
    }));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as { port: number }).port;
    const response = await request(`http://127.0.0.1:${port}/_dashboard/ui/keys`, { headers: { accept: 'text/html' } });
    expect(response.statusCode).toBe(404);
    await response.body.dump();
    await new Promise((resolve) => listener.close(resolve));
  });
});
