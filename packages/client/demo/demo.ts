// `pnpm demo`: the whole Mastercard journey on the embedded sandbox, step by step. Keys go to a
// temporary directory that is removed at the end; nothing touches the user's tree.
//   pnpm demo          readable report with timings
//   pnpm demo --json   only {"steps":[{name, ok, status, durationMs}]} on stdout
//   pnpm demo --keep   then keeps the sandbox (and the keyring) up until Ctrl-C and prints the
//                      dashboard URL and an `mcapi request` line to try against it
import { generateKeyPairSync, randomInt } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Sandbox, startSandbox } from '@mcapi/sandbox';
import {
  AuthenticationError,
  type ClientLogEvent,
  type ClientOptions,
  createClient,
  type McapiClient,
  type Payment,
  type Quote,
} from '../src/index.js';
import { createKeyRequests, installCertificates, type KeyRequests, type ProvisionedKeyring, rotateResponseKey, sandboxClientOptions } from './provision.js';
import { type DemoWebhook, startDemoWebhook } from './webhook-server.js';

interface StepResult {
  name: string;
  ok: boolean;
  status: number | null;
  durationMs: number;
}

const json = process.argv.includes('--json');
const keep = process.argv.includes('--keep');
const steps: StepResult[] = [];
const events: ClientLogEvent[] = [];
const say = (line: string) => {
  if (!json) process.stdout.write(`${line}\n`);
};

/** Runs one step; `status` is the HTTP status of its last response, when it made requests. */
async function step<T>(name: string, run: () => Promise<T>, describe?: (value: T) => string): Promise<T | undefined> {
  const mark = events.length;
  const start = performance.now();
  let ok = true;
  let value: T | undefined;
  let detail = '';
  try {
    value = await run();
    if (describe) detail = describe(value);
  } catch (error) {
    ok = false;
    detail = `${(error as Error).name}: ${(error as Error).message}`;
  }
  const durationMs = Math.round(performance.now() - start);
  const responses = events.slice(mark).filter((event) => event.type === 'response');
  const status = responses.at(-1)?.status ?? (value instanceof AuthenticationError ? value.status : null);
  steps.push({ name, ok, status, durationMs });
  say(`${ok ? '✓' : '✗'} ${name.padEnd(70)} ${String(status ?? '').padStart(3)} ${String(durationMs).padStart(6)} ms${detail ? `\n    ${detail}` : ''}`);
  return value;
}

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const today = new Date().toISOString().slice(0, 10);
const demoStart = performance.now();
let sandbox: Sandbox | undefined;
let client: McapiClient | undefined;
let forger: McapiClient | undefined;
let webhook: DemoWebhook | undefined;
const temp = await mkdtemp(join(tmpdir(), 'mcapi-demo-'));
let reference = '';
// The demo's keys are unencrypted: Ctrl-C (SIGINT) or a kill (SIGTERM) must not leave them in the
// temporary directory. Synchronous removal, then exit at once: no later step can write again.
// With --keep, the wait for Ctrl-C at the end closes the sandbox and removes the keyring itself.
let interrupted = false;
let holdingForKeep = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted || holdingForKeep) return; // a second Ctrl-C (or the wrapper passing the same signal on)
    interrupted = true;
    rmSync(temp, { recursive: true, force: true });
    say(`\ninterrupted (${signal}): keyring removed from ${temp}`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}
say('mcapi demo — Benefit Allocation (mTLS + JWE) and Cross-Border (OAuth 1.0a + JWE) on the local sandbox\n');

try {
  sandbox = await step('Start the sandbox (gateway + dashboard on 127.0.0.1)', () => startSandbox(), (s) => `BAS ${s.urls.benefitAllocation}, Cross-Border ${s.urls.crossBorder || '(not available)'}`);
  if (!sandbox) throw new Error('no sandbox');
  const box = sandbox;
  const dir = join(temp, 'keyring');
  const requests = await step<KeyRequests>('keytool: create keyring and CSRs (mTLS, signing, response-decryption)', () => createKeyRequests(dir), (r) => `keys ${r.mtls.id}, ${r.signing.id}, ${r.response.id} (CSR sha256WithRSAEncryption)`);
  const provisioned = requests
    ? await step<ProvisionedKeyring>('dashboard signs/registers; keytool imports and activates', () => installCertificates(box, dir, requests), (p) => `consumer key ${p.consumerKey.slice(0, 12)}…, request-encryption kid ${box.requestEncryptionKeyFingerprint.slice(0, 12)}…`)
    : undefined;
  if (!provisioned) throw new Error('no keyring');

  const options: ClientOptions = {
    ...sandboxClientOptions(box, provisioned.keyring),
    logger: (event) => events.push(event),
  };
  client = createClient(options);
  const bas = client.benefitAllocation;
  const pan = `529107${digits(13)}`; // 19 digits: beyond Number precision, sent exactly

  await step('BAS assign segment DART (19-digit PAN)', () => bas.assignSegment({ cardNumber: pan, segments: [{ code: 'DART', effectiveDate: today }] }), (r) => `bundles ${r.bundles?.map((b) => b.code).join(', ')}`);
  await step('BAS replace segment DART → PRT', () => bas.replaceSegment({ cardNumber: pan, oldSegmentCode: 'DART', newSegmentCode: 'PRT', effectiveDate: today }), (r) => `bundles ${r.bundles?.map((b) => b.code).join(', ')}`);
  await step('BAS cancel segment PRT', () => bas.cancelSegment({ cardNumber: pan, segments: [{ code: 'PRT', expiryDate: today }] }), (r) => `expired ${r.bundles?.map((b) => `${b.code}@${b.expiryDate}`).join(', ')}`);
  await step('BAS freeze card', () => bas.freezeCard({ cardNumber: pan, date: today }), () => 'card frozen (204 No Content)');
  // The same service as Mastercard's OAuth 1.0a product (sandbox.api.mastercard.com/loyalty/benefits):
  // no client certificate, an OAuth 1.0a signature over the encrypted body.
  const oauth1Bas = createClient({
    ...options,
    environment: { benefitAllocation: { baseUrl: box.urls.benefitAllocationOAuth1 } },
    benefitAllocation: { auth: 'oauth1' },
  });
  await step(
    'BAS over OAuth 1.0a: assign segment DART (API host, signed over the JWE)',
    () => oauth1Bas.benefitAllocation.assignSegment({ cardNumber: `529107${digits(13)}`, segments: [{ code: 'DART', effectiveDate: today }] }).finally(() => oauth1Bas.close()),
    (r) => `bundles ${r.bundles?.map((b) => b.code).join(', ')}`,
  );

  webhook = await step(
    'Push: register an HTTPS webhook (mTLS) for Cross-Border notifications',
    () => startDemoWebhook(box, provisioned.keyring),
    (w) => `${w.url} (the sandbox presents CN CrossborderServicesNotification-mtf.mastercard.com)`,
  );

  reference = `09${digits(10)}ACFQ`;
  const quote = await step<Quote>(
    'Cross-Border quote (forward, USD → GBP)',
    () =>
      client!.crossBorder.quotes.create({
        transaction_reference: reference,
        sender_account_uri: 'tel:+254108989',
        recipient_account_uri: 'ewallet:paypal_user011',
        payment_amount: { amount: '105.15', currency: 'USD' },
        payment_origination_country: 'USA',
        payment_type: 'P2P',
        quote_type: { forward: { receiver_currency: 'GBP', fees_included: true } },
      }),
    (q) => {
      const proposal = q.proposals?.proposal?.[0];
      return `proposal ${proposal?.id}: charged ${proposal?.charged_amount?.amount} ${proposal?.charged_amount?.currency}, credited ${proposal?.credited_amount?.amount} ${proposal?.credited_amount?.currency}`;
    },
  );
  const proposalId = quote?.proposals?.proposal?.[0]?.id;
  const payment = await step<Payment>(
    'Cross-Border payment with the quote',
    () =>
      client!.crossBorder.payments.create({
        transaction_reference: reference,
        ...(proposalId === undefined ? {} : { proposal_id: proposalId }),
        sender: { first_name: 'Ada', last_name: 'Lovelace', address: { line1: '1 Main St', city: 'Everett', country_subdivision: 'MA', postal_code: '02149', country: 'USA' } },
        recipient: { first_name: 'Alan', last_name: 'Turing', address: { line1: '2 High St', city: 'London', postal_code: 'N1', country: 'GBR' } },
      }),
    (p) => `payment ${p.id}: ${p.status}`,
  );
  await step('Cross-Border retrieve the payment (by id)', () => client!.crossBorder.payments.retrieve(payment?.id ?? 'missing'), (p) => `payment ${p.id}: ${p.status}`);
  await step(
    "Push: the payment's status notification reaches the webhook handler",
    async () => {
      await box.webhooks.idle();
      const event = webhook?.events.find((candidate) => candidate.type === 'payment.status' && candidate.transactionReference === reference);
      if (event?.type !== 'payment.status') throw new Error('no payment status notification arrived');
      return event;
    },
    (event) => `eventRef ${event.eventRef.slice(0, 8)}…: ${event.transactionReference} ${event.status} (${event.encrypted ? 'JWE-encrypted' : 'plaintext'}, ${event.flavour})`,
  );
  await step(
    'RFI end to end: retrieve → upload document → answer → status push',
    async () => {
      const rfi = client!.crossBorder.rfi;
      const requestId = `11${digits(6)}-demo`;
      const opened = await rfi.retrieve(requestId);
      const { documentId } = await rfi.uploadDocument({ fileName: 'passport.pdf', file: new TextEncoder().encode('%PDF-1.4\n% demo passport\n') });
      const answered = await rfi.update(requestId, {
        sender: { fullName: 'Ada Lovelace', sourceOfIncome: 'Salary', governmentId: { type: 'ppn', number: 'X1234567', documents: [documentId!] } },
      });
      await box.webhooks.idle();
      const pushed = webhook?.events.filter((event) => event.type === 'rfi' && event.requestId === requestId).map((event) => (event.type === 'rfi' ? event.requestStatus : ''));
      if (!pushed?.includes('REVIEW')) throw new Error(`no RFI status push for ${requestId}`);
      return { requestId, opened: opened.retrieveResponse?.requestStatus, answered: answered.requestStatus, pushed };
    },
    (r) => `${r.requestId}: ${r.opened} → answered ${r.answered}; pushes ${r.pushed.join(' → ')}`,
  );

  const kidOf = async () => {
    const mark = events.length;
    await bas.assignSegment({ cardNumber: `529107${digits(10)}`, segments: [{ code: 'DART', effectiveDate: today }] });
    return events.slice(mark).find((event) => event.type === 'decrypted')?.kid;
  };
  await step(
    'Rotate the response-decryption key; old and new key both decrypt',
    async () => {
      const before = await kidOf();
      const { oldKid, newKid } = await rotateResponseKey(box, provisioned);
      const after = await kidOf();
      if (before !== oldKid || after !== newKid) throw new Error(`expected responses under ${oldKid} then ${newKid}, got ${before} then ${after}`);
      return { oldKid, newKid };
    },
    ({ oldKid, newKid }) => `response to old kid ${oldKid.slice(0, 12)}… decrypted, then to new kid ${newKid.slice(0, 12)}… decrypted`,
  );

  forger = createClient({
    ...options,
    // The right consumer key with the wrong private key: the gateway must refuse the signature.
    oauth1: { consumerKey: provisioned.consumerKey, signingKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey },
    maxRetries: 0,
  });
  await step(
    'Rejected request: bad OAuth signature → Mastercard error',
    async () => {
      const error = await forger!.crossBorder.payments.retrieve({ reference }).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!(error instanceof AuthenticationError)) throw new Error(`expected AuthenticationError, got ${String(error)}`);
      return error;
    },
    (error) =>
      `${error.status} ${error.reasonCode}: ${error.description?.split('Acceptable')[0]?.trim()}${error.acceptableBaseString ? `\n    acceptable base string: ${error.acceptableBaseString.slice(0, 90)}…` : ''}`,
  );
} catch (error) {
  say(`\nstopped: ${(error as Error).message}`);
} finally {
  await forger?.close();
  await client?.close();
  await webhook?.close();
  if (!keep || !sandbox) {
    await sandbox?.close();
    await rm(temp, { recursive: true, force: true });
  }
}

const allOk = steps.length === 16 && steps.every((s) => s.ok);
process.exitCode = allOk ? 0 : 1;
if (keep && sandbox) {
  // The sandbox and the keyring stay until Ctrl-C, so the dashboard can be looked at and the
  // `mcapi` CLI tried against the same keys; both go away on SIGINT / SIGTERM.
  const caFile = join(temp, 'sandbox-ca.pem');
  await writeFile(caFile, sandbox.caCertificate);
  const dashboard = `${sandbox.urls.dashboard}/`;
  const keyring = join(temp, 'keyring');
  const command = `pnpm exec mcapi request GET "/send/v1/partners/SANDBOX_1234567/crossborder?ref=${reference}" --keyring ${keyring} --ca ${caFile} --bas-url ${sandbox.urls.benefitAllocation} --cross-border-url ${sandbox.urls.crossBorder} -v`;
  if (json) process.stdout.write(`${JSON.stringify({ steps, dashboard, keyring, caFile })}\n`);
  else {
    say(`\n${steps.filter((s) => s.ok).length}/${steps.length} steps ok in ${Math.round(performance.now() - demoStart)} ms`);
    say(`\nThe sandbox keeps running until Ctrl-C (the keyring in ${temp} is removed then).`);
    say(`  dashboard  ${dashboard}`);
    say(`  try (after pnpm build):\n  ${command}`);
  }
  holdingForKeep = true;
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await sandbox.close();
  await rm(temp, { recursive: true, force: true });
  say('sandbox stopped; keyring removed');
} else if (json) {
  process.stdout.write(`${JSON.stringify({ steps })}\n`);
} else {
  say(`\n${steps.filter((s) => s.ok).length}/${steps.length} steps ok in ${Math.round(performance.now() - demoStart)} ms; keyring removed from ${temp}`);
}
