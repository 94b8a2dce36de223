// OAuth 1.0a: `authorize()` of a 1 KB JSON POST against the raw node:crypto floor (one
// RSA-SHA256 `crypto.sign` of the same signature base string with a pre-parsed KeyObject: no
// URL parsing, body hash, encoding or header) and against mastercard-oauth1-signer; then 64
// concurrent signatures on the event loop versus on the thread pool (`offloadSigning`), with the
// event-loop delay p99 while they run.
import { sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { bodyHash, createOAuth1Signer, signatureBaseString } from '@mcapi/auth';
import { loadPrivateKey } from '@mcapi/keys';
import { type Suite, compare, ratioLines, target } from '../harness.js';

const keyPath = fileURLToPath(new URL('../../packages/auth/test/vectors/test_key.pem', import.meta.url));
const keyPem = readFileSync(keyPath, 'utf8');
const consumerKey = 'abc-abc-abc!123';
const url = 'https://sandbox.api.mastercard.com/send/v1/partners/ptnr_2370/crossborder/payment?include=fees&offset=0';

// A 1 KB JSON body.
const body = JSON.stringify({
  payment: {
    transaction_reference: '0999999034810154901',
    sender_account_uri: 'tel:+254108989',
    recipient_account_uri: 'ban:0123456789;bic=ABCDEFGH',
    payment_amount: { amount: '53.00', currency: 'USD' },
    payment_type: 'P2P',
    sender: { first_name: 'John', last_name: 'Doe', address: { line1: '123 Main Street', city: 'Arlington', country: 'USA' } },
    recipient: { first_name: 'Jane', last_name: 'Smith', address: { line1: '1 Market Street', city: 'Nairobi', country: 'KEN' } },
    purpose_of_payment: 'FAMILY_SUPPORT',
    additional_data: { data_field: Array.from({ length: 6 }, (_, i) => ({ name: `field${i}`, value: 'x'.repeat(48) })) },
  },
});

interface MastercardOAuth {
  getAuthorizationHeader(uri: string, method: string, payload: string | null, consumerKey: string, signingKey: string): string;
}
const require = createRequire(import.meta.url);
const mastercard = require('mastercard-oauth1-signer') as MastercardOAuth;

export const suite: Suite = {
  name: 'oauth1: authorize() of a 1 KB POST',
  async run() {
    const signingKey = await loadPrivateKey(keyPem);
    const signer = createOAuth1Signer({ consumerKey, signingKey }); // offloadSigning: 'auto'
    const inline = createOAuth1Signer({ consumerKey, signingKey, offloadSigning: false });
    const offloaded = createOAuth1Signer({ consumerKey, signingKey, offloadSigning: true });
    const baseString = Buffer.from(
      signatureBaseString('POST', url, {
        oauth_body_hash: bodyHash(body),
        oauth_consumer_key: consumerKey,
        oauth_nonce: 'Wpe3LF09z1e3xQRI',
        oauth_signature_method: 'RSA-SHA256',
        oauth_timestamp: '1700000000',
        oauth_version: '1.0',
      }),
    );
    const request = { method: 'POST', url, body };

    // More, shorter rounds than the default: the machine is shared, and interleaving spreads its noise.
    const measurements = await compare([
      { name: 'floor', run: () => sign('sha256', baseString, signingKey) },
      { name: 'authorize', run: () => signer.authorize(request) },
      { name: 'authorize (offloadSigning: true)', run: () => offloaded.authorize(request) },
      { name: 'mastercard-oauth1-signer', run: () => mastercard.getAuthorizationHeader(url, 'POST', body, consumerKey, keyPem) },
    ], 6, 400);
    const lines = ratioLines(measurements, 'floor');
    const checked = target(measurements, 'authorize', 'floor', 0.9);
    lines.push(checked.line);
    lines.push(target(measurements, 'authorize', 'mastercard-oauth1-signer', 1).line);

    // Concurrency: 64 requests signed at once: always inline, always on the thread pool, and the
    // default 'auto' (inline when alone, pool when overlapping).
    const concurrent = 64;
    for (const [name, instance] of [
      ['event loop (offloadSigning: false)', inline],
      ['thread pool (offloadSigning: true)', offloaded],
      ['default (offloadSigning: auto)', signer],
    ] as const) {
      const histogram = monitorEventLoopDelay({ resolution: 1 });
      histogram.enable();
      const start = performance.now();
      let done = 0;
      while (performance.now() - start < 1500) {
        await Promise.all(Array.from({ length: concurrent }, () => instance.authorize(request)));
        done += concurrent;
        // Let timers run between batches, as a server's event loop would, so the delay is seen.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const elapsed = performance.now() - start;
      histogram.disable();
      lines.push(
        `${concurrent} concurrent on the ${name}: ${Math.round((done * 1000) / elapsed).toLocaleString('en-US')} ops/s, event-loop delay p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} ms`,
      );
    }
    return { measurements, lines, missed: checked.missed ? [checked.missed] : [] };
  },
};
