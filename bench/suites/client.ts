// @mcapi/client end to end: full requests per second against the sandbox, in one run, for
//   - Benefit Allocation assignSegment: mTLS keep-alive + JWE both ways;
//   - Cross-Border quotes.create: OAuth 1.0a + JWE (encrypted_payload wrapper) both ways;
// each against a baseline built the way users do it today: undici (one keep-alive Agent, the
// baseline's best case) + `mastercard-client-encryption` (JWE) + `mastercard-oauth1-signer`.
// Then the client's CPU per request (process.cpuUsage, all threads) against its crypto floor:
// node:crypto with pre-parsed keys doing exactly the RSA and AES work one request needs.
// The sandbox runs in a child process so its CPU is not counted as the client's.
import { type ChildProcess, fork } from 'node:child_process';
import {
  constants,
  createCipheriv,
  createHash,
  createDecipheriv,
  createPrivateKey,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Measurement, type Suite, compare, ratioLines, target } from '../harness.js';

const childFlag = '--mcapi-client-bench-sandbox';
const concurrency = 16;

/** What the sandbox child reports once its keyring is provisioned. */
interface SandboxInfo {
  urls: { benefitAllocation: string; crossBorder: string };
  caCertificate: string;
  keyring: string;
  consumerKey: string;
  files: { mtlsCert: string; mtlsKey: string; signingKey: string; responseKey: string; encryptionCert: string };
}

// ---------------------------------------------------------------------------------------------
// Child: a sandbox and a keyring provisioned through keytool + the dashboard, like the demo.
if (process.argv.includes(childFlag)) {
  const { startSandbox } = await import('@mcapi/sandbox');
  const keytool = await import('@mcapi/keytool');
  const { readKeyringManifest } = await import('@mcapi/keys');
  const sandbox = await startSandbox();
  const temp = await mkdtemp(join(tmpdir(), 'mcapi-bench-client-'));
  const dir = join(temp, 'keyring');
  await keytool.initKeyringDirectory({ keyring: dir });
  const subject = { CN: 'mcapi bench', O: 'mcapi' };
  const mtls = await keytool.createKeyRequest({ keyring: dir, purpose: 'mtls', sandboxClientId: '000000', subject: { O: 'mcapi' } });
  const signing = await keytool.createKeyRequest({ keyring: dir, purpose: 'signing', subject });
  const response = await keytool.createKeyRequest({ keyring: dir, purpose: 'response-decryption', subject });
  const write = async (name: string, pem: string) => {
    const file = join(temp, name);
    await writeFile(file, pem, { mode: 0o600 });
    return file;
  };
  const mtlsIssued = sandbox.dashboard.signCsr({ csr: mtls.csr, purpose: 'mtls' });
  await keytool.importCertificate({ keyring: dir, file: await write('mtls.pem', mtlsIssued.certificate + mtlsIssued.chain) });
  const signingIssued = sandbox.dashboard.registerSigningKey({ csr: signing.csr });
  await keytool.importCertificate({ keyring: dir, file: await write('signing.pem', signingIssued.certificate), consumerKey: signingIssued.consumerKey });
  const responseIssued = sandbox.dashboard.signCsr({ csr: response.csr, purpose: 'response-decryption' });
  await keytool.importCertificate({ keyring: dir, file: await write('response.pem', responseIssued.certificate) });
  const encryptionFile = await write('mastercard-encryption.pem', sandbox.requestEncryptionCertificate);
  const encryption = await keytool.importCertificate({ keyring: dir, file: encryptionFile, purpose: 'request-encryption' });
  for (const id of [mtls.id, signing.id, response.id]) await keytool.activateKey({ keyring: dir, id });
  if (encryption.status !== 'active') await keytool.activateKey({ keyring: dir, id: encryption.id });
  if (!responseIssued.active) sandbox.dashboard.activateResponseDecryptionKey(responseIssued.id);
  const manifest = await readKeyringManifest(dir);
  const fileOf = (id: string, field: 'privateKeyFile' | 'certificateFile') => join(dir, manifest.keys.find((key) => key.id === id)![field]!);
  const info: SandboxInfo = {
    urls: { benefitAllocation: sandbox.urls.benefitAllocation, crossBorder: sandbox.urls.crossBorder },
    caCertificate: sandbox.caCertificate,
    keyring: dir,
    consumerKey: signingIssued.consumerKey,
    files: {
      mtlsCert: fileOf(mtls.id, 'certificateFile'),
      mtlsKey: fileOf(mtls.id, 'privateKeyFile'),
      signingKey: fileOf(signing.id, 'privateKeyFile'),
      responseKey: fileOf(response.id, 'privateKeyFile'),
      encryptionCert: encryptionFile,
    },
  };
  process.send!(info);
  process.once('message', async () => {
    await sandbox.close();
    await rm(temp, { recursive: true, force: true });
    process.exit(0);
  });
}

// ---------------------------------------------------------------------------------------------
// Parent: the measurements.

async function startChild(): Promise<{ child: ChildProcess; info: SandboxInfo }> {
  const child = fork(fileURLToPath(import.meta.url), [childFlag], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    execArgv: ['--conditions=@mcapi/source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [info] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the sandbox child exited with ${String(code)}`);
    }),
  ])) as [SandboxInfo];
  return { child, info };
}

interface MastercardJwe {
  encryptData(options: { data: unknown }): { encryptedData: string };
  decryptData(token: string): unknown;
}
interface MastercardOAuth {
  getAuthorizationHeader(uri: string, method: string, payload: string | null, consumerKey: string, signingKey: string): string;
}

let counter = 0;
const nextPan = () => `5291071${String(Date.now() % 1e6).padStart(6, '0')}${String(counter++ % 1000).padStart(3, '0')}`;
const nextReference = () => `08${Date.now()}${counter++}ACFQ`;
const today = new Date().toISOString().slice(0, 10);
const quoteRequest = (reference: string) => ({
  transaction_reference: reference,
  sender_account_uri: 'tel:+254108989',
  recipient_account_uri: 'ewallet:paypal_user011',
  payment_amount: { amount: '105.15', currency: 'USD' },
  payment_origination_country: 'USA',
  payment_type: 'P2P' as const,
  quote_type: { forward: { receiver_currency: 'GBP', fees_included: true } },
});

/** CPU microseconds per call of `run`, over `count` sequential calls (all threads of the process). */
async function cpuPerCall(run: () => unknown, count: number): Promise<number> {
  for (let i = 0; i < 5; i++) await run();
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) await run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

export const suite: Suite = {
  name: 'client',
  async run() {
    const { createClient } = await import('@mcapi/client');
    const { openKeyring } = await import('@mcapi/keys');
    const { Agent, request } = await import('undici');
    const require = createRequire(import.meta.url);
    const { JweEncryption } = require('mastercard-client-encryption') as { JweEncryption: new (config: unknown) => { crypto: MastercardJwe } };
    const oauth = require('mastercard-oauth1-signer') as MastercardOAuth;

    const { child, info } = await startChild();
    const lines: string[] = [];
    const missed: string[] = [];
    const check = (measurements: Measurement[], ours: string, baseline: string, ratio: number) => {
      const result = target(measurements, ours, baseline, ratio);
      lines.push(result.line);
      if (result.missed) missed.push(result.missed);
    };
    try {
      const keyring = await openKeyring(info.keyring);
      const client = createClient({
        environment: { benefitAllocation: { baseUrl: info.urls.benefitAllocation }, crossBorder: { baseUrl: info.urls.crossBorder } },
        keyring,
        ca: info.caCertificate,
        crossBorder: { partnerId: 'SANDBOX_1234567' },
      });

      // The baseline, as the Mastercard README shows it: file paths and PEM strings in the config.
      const mastercardJwe = new JweEncryption({
        mode: 'JWE',
        paths: [{ path: '/', toEncrypt: [{ element: '$', obj: '$' }], toDecrypt: [{ element: 'encryptedData', obj: '$' }] }],
        encryptedValueFieldName: 'encryptedData',
        encryptionCertificate: info.files.encryptionCert,
        privateKey: info.files.responseKey,
      }).crypto;
      const signingKeyPem = await readFile(info.files.signingKey, 'utf8');
      const basAgent = new Agent({
        connect: { ca: info.caCertificate, cert: await readFile(info.files.mtlsCert, 'utf8'), key: await readFile(info.files.mtlsKey, 'utf8') },
      });
      const xbAgent = new Agent({ connect: { ca: info.caCertificate } });
      const parseDecrypted = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

      const baselineBas = async () => {
        const plain = { cardNumber: Number(nextPan()), segments: [{ code: 'DART', effectiveDate: today }] };
        const body = JSON.stringify(mastercardJwe.encryptData({ data: plain }));
        const response = await request(`${info.urls.benefitAllocation}/card-segments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body,
          dispatcher: basAgent,
        });
        const json = (await response.body.json()) as { encryptedData: string };
        if (response.statusCode !== 200) throw new Error(`baseline BAS: HTTP ${response.statusCode}`);
        return parseDecrypted(mastercardJwe.decryptData(json.encryptedData));
      };
      const baselineXb = async () => {
        const url = `${info.urls.crossBorder}/send/v1/partners/SANDBOX_1234567/crossborder/quotes`;
        const plain = JSON.stringify({ quoterequest: quoteRequest(nextReference()) });
        const body = JSON.stringify({ encrypted_payload: { data: mastercardJwe.encryptData({ data: plain }).encryptedData } });
        const authorization = oauth.getAuthorizationHeader(url, 'POST', body, info.consumerKey, signingKeyPem);
        const response = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', 'x-encrypted': 'true', authorization },
          body,
          dispatcher: xbAgent,
        });
        const json = (await response.body.json()) as { encrypted_payload: { data: string } };
        if (response.statusCode !== 200) throw new Error(`baseline Cross-Border: HTTP ${response.statusCode} ${JSON.stringify(json)}`);
        return parseDecrypted(mastercardJwe.decryptData(json.encrypted_payload.data));
      };
      const oursBas = () => client.benefitAllocation.assignSegment({ cardNumber: nextPan(), segments: [{ code: 'DART', effectiveDate: today }] });
      const oursXb = () => client.crossBorder.quotes.create(quoteRequest(nextReference()));

      // Both sides must really work before they are timed.
      await baselineBas();
      await baselineXb();
      await oursBas();
      await oursXb();

      // A service sends many requests at once: each timed operation is a batch of `concurrency`
      // requests in flight together, for both contenders alike.
      const batch = (run: () => Promise<unknown>) => () => Promise.all(Array.from({ length: concurrency }, run));
      lines.push(`each operation = ${concurrency} concurrent requests; ops/s × ${concurrency} = requests/s`);
      // Steady state first (JIT, connection pools, the sandbox's own warm-up): 2 s of each batch.
      for (const run of [batch(oursBas), batch(baselineBas), batch(oursXb), batch(baselineXb)]) {
        const end = performance.now() + 2000;
        while (performance.now() < end) await run();
      }
      // More, shorter interleaved rounds than the default: BAS runs are noisy on two shared cores.
      const bas = await compare(
        [
          { name: 'mcapi BAS', run: batch(oursBas) },
          { name: 'baseline BAS', run: batch(baselineBas) },
        ],
        8,
        400,
      );
      lines.push(...ratioLines(bas, 'baseline BAS'));
      check(bas, 'mcapi BAS', 'baseline BAS', 2);
      const xb = await compare([
        { name: 'mcapi Cross-Border', run: batch(oursXb) },
        { name: 'baseline Cross-Border', run: batch(baselineXb) },
      ]);
      lines.push(...ratioLines(xb, 'baseline Cross-Border'));
      check(xb, 'mcapi Cross-Border', 'baseline Cross-Border', 2);
      // For the record (no target): one request at a time, where latency, not client CPU, dominates.
      const sequential = await compare(
        [
          { name: 'mcapi BAS, one at a time', run: oursBas },
          { name: 'baseline BAS, one at a time', run: baselineBas },
          { name: 'mcapi Cross-Border, one at a time', run: oursXb },
          { name: 'baseline Cross-Border, one at a time', run: baselineXb },
        ],
        2,
        500,
      );
      const ratio = (a: string, b: string) => {
        const x = sequential.find((m) => m.name === a)!;
        const y = sequential.find((m) => m.name === b)!;
        return `${Math.round(x.opsPerSecond)} vs ${Math.round(y.opsPerSecond)} requests/s = ${(x.opsPerSecond / y.opsPerSecond).toFixed(2)}×`;
      };
      lines.push(`sequential (info): BAS ${ratio('mcapi BAS, one at a time', 'baseline BAS, one at a time')}; Cross-Border ${ratio('mcapi Cross-Border, one at a time', 'baseline Cross-Border, one at a time')}`);

      // The floor: the least CPU one full request can cost, i.e. a minimal hand-written client on
      // the same keep-alive connections doing only the unavoidable work with keys parsed once:
      // compact JWE by hand (RSA-OAEP-256 wrap + AES-256-GCM), the HTTP exchange, RSA-OAEP-256
      // unwrap + AES-256-GCM of the answer, and for Cross-Border one RSA-SHA256 OAuth signature.
      const encryptionCertificate = new X509Certificate(await readFile(info.files.encryptionCert));
      const encryptionKey = encryptionCertificate.publicKey;
      const responseKey = createPrivateKey(await readFile(info.files.responseKey));
      const signingKey: KeyObject = createPrivateKey(signingKeyPem);
      const kid = (await import('@mcapi/keys')).publicKeyFingerprint(encryptionCertificate);
      const header = Buffer.from(JSON.stringify({ kid, cty: 'application/json', alg: 'RSA-OAEP-256', enc: 'A256GCM' })).toString('base64url');
      const oaep = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' } as const;
      const seal = (plaintext: string) => {
        const cek = randomBytes(32);
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', cek, iv);
        cipher.setAAD(Buffer.from(header, 'latin1'));
        const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
        const wrapped = publicEncrypt({ key: encryptionKey, ...oaep }, cek);
        return `${header}.${wrapped.toString('base64url')}.${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
      };
      const open = (token: string) => {
        const [h, k, i, c, t] = token.split('.') as [string, string, string, string, string];
        const cek = privateDecrypt({ key: responseKey, ...oaep }, Buffer.from(k, 'base64url'));
        const decipher = createDecipheriv(`aes-${cek.length * 8}-gcm` as 'aes-256-gcm', cek, Buffer.from(i, 'base64url'));
        decipher.setAAD(Buffer.from(h, 'latin1'));
        decipher.setAuthTag(Buffer.from(t, 'base64url'));
        return JSON.parse(Buffer.concat([decipher.update(Buffer.from(c, 'base64url')), decipher.final()]).toString('utf8')) as unknown;
      };
      const pct = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
      const floorBasAgent = new Agent({
        connect: { ca: info.caCertificate, cert: await readFile(info.files.mtlsCert, 'utf8'), key: await readFile(info.files.mtlsKey, 'utf8') },
      });
      const floorXbAgent = new Agent({ connect: { ca: info.caCertificate } });
      const floorBas = async () => {
        const body = JSON.stringify({ encryptedData: seal(JSON.stringify({ cardNumber: Number(nextPan()), segments: [{ code: 'DART', effectiveDate: today }] })) });
        const response = await request(`${info.urls.benefitAllocation}/card-segments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          dispatcher: floorBasAgent,
        });
        const json = (await response.body.json()) as { encryptedData: string };
        return open(json.encryptedData);
      };
      const xbUrl = `${info.urls.crossBorder}/send/v1/partners/SANDBOX_1234567/crossborder/quotes`;
      const floorXb = async () => {
        const body = JSON.stringify({ encrypted_payload: { data: seal(JSON.stringify({ quoterequest: quoteRequest(nextReference()) })) } });
        const params: [string, string][] = [
          ['oauth_body_hash', createHash('sha256').update(body).digest('base64')],
          ['oauth_consumer_key', info.consumerKey],
          ['oauth_nonce', randomBytes(8).toString('hex')],
          ['oauth_signature_method', 'RSA-SHA256'],
          ['oauth_timestamp', String(Math.floor(Date.now() / 1000))],
          ['oauth_version', '1.0'],
        ];
        const base = `POST&${pct(xbUrl)}&${pct(params.map(([k, v]) => `${k}=${v}`).join("&"))}`;
        const signature = sign('sha256', Buffer.from(base), signingKey).toString('base64');
        const authorization = `OAuth ${params.map(([k, v]) => `${k}="${v}"`).join(',')},oauth_signature="${pct(signature)}"`;
        const response = await request(xbUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-encrypted': 'true', authorization },
          body,
          dispatcher: floorXbAgent,
        });
        const json = (await response.body.json()) as { encrypted_payload?: { data: string } };
        if (!json.encrypted_payload) throw new Error(`floor Cross-Border: HTTP ${response.statusCode} ${JSON.stringify(json)}`);
        return open(json.encrypted_payload.data);
      };
      await floorBas();
      await floorXb();
      // What the throughput target can reach here at all: the floor client (no overhead beyond the
      // unavoidable crypto and HTTP) against the same sandbox, which shares the machine's cores.
      const ceiling = await compare([
        { name: 'floor BAS', run: batch(floorBas) },
        { name: 'mcapi BAS', run: batch(oursBas) },
        { name: 'baseline BAS', run: batch(baselineBas) },
      ]);
      const perSecond = (name: string) => ceiling.find((m) => m.name === name)!.opsPerSecond;
      lines.push(
        `BAS throughput ceiling (info): the floor client reaches ${(perSecond('floor BAS') / perSecond('baseline BAS')).toFixed(2)}× baseline, mcapi ${(perSecond('mcapi BAS') / perSecond('baseline BAS')).toFixed(2)}× (= ${(perSecond('mcapi BAS') / perSecond('floor BAS')).toFixed(2)}× the floor client); the sandbox shares the ${availableParallelism()} cores`,
      );
      // Interleaved in rounds (floor, ours, baseline, floor, …) so load drift on the shared machine
      // hits all three alike; the per-call figure is the mean over all rounds.
      const cpu = { floorBas: 0, oursBas: 0, baselineBas: 0, floorXb: 0, oursXb: 0, baselineXb: 0 };
      const rounds = 6;
      const perRound = 60;
      for (let round = 0; round < rounds; round++) {
        cpu.floorBas += (await cpuPerCall(floorBas, perRound)) / rounds;
        cpu.oursBas += (await cpuPerCall(oursBas, perRound)) / rounds;
        cpu.baselineBas += (await cpuPerCall(baselineBas, perRound)) / rounds;
        cpu.floorXb += (await cpuPerCall(floorXb, perRound)) / rounds;
        cpu.oursXb += (await cpuPerCall(oursXb, perRound)) / rounds;
        cpu.baselineXb += (await cpuPerCall(baselineXb, perRound)) / rounds;
      }
      for (const [name, ours, floor, baseline] of [
        ['BAS', cpu.oursBas, cpu.floorBas, cpu.baselineBas],
        ['Cross-Border', cpu.oursXb, cpu.floorXb, cpu.baselineXb],
      ] as const) {
        const ratio = ours / floor;
        const ok = ratio <= 1.3;
        const line = `client CPU per ${name} request: mcapi ${Math.round(ours)} µs, floor ${Math.round(floor)} µs, baseline ${Math.round(baseline)} µs: mcapi = ${ratio.toFixed(2)}× floor (target ≤ 1.3×) ${ok ? 'ok' : 'MISSED'}`;
        lines.push(line);
        if (!ok) missed.push(line);
      }
      await floorBasAgent.close();
      await floorXbAgent.close();
      await client.close();
      await basAgent.close();
      await xbAgent.close();
    } finally {
      child.send('stop');
      await once(child, 'exit');
    }
    return { measurements: [], lines, missed };
  },
};
