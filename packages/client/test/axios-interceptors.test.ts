// Issue #14 §5: real axios, with createAxiosInterceptors, against the real sandbox: Benefit
// Allocation over mTLS (https agent) and Cross-Border over OAuth 1.0a and the request token, JWE
// by endpoint rule, errors left as AxiosError with Mastercard's envelope on `error.mcapi`, no
// credential or card number in the error, numbers never altered.
import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { decrypt, encrypt, payloadPresets } from '@mcapi/jwe';
import { createCertificateAuthority, generateRsaKeyPair, issueCertificate } from '@mcapi/keytool';
import axios, { AxiosError } from 'axios';
import { crossBorderQuoteRequest } from '@mcapi/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AxiosInterceptorsOptions,
  BadRequestError,
  createAxiosInterceptors,
  isJsonNumber,
  jsonNumber,
  type MastercardAxiosInterceptors,
  mcapiErrorOf,
  NotFoundError,
} from '../src/index.js';
import { digits, randomPan, startWorld, today, type World } from './helpers.js';

let world: World;
const opened: MastercardAxiosInterceptors[] = [];
beforeAll(async () => {
  world = await startWorld({}, { requestTokenEnabled: true });
}, 60_000);
afterAll(async () => {
  await Promise.all(opened.map((interceptors) => interceptors.close()));
  await world?.close();
});

function interceptors(options: AxiosInterceptorsOptions): MastercardAxiosInterceptors {
  const made = createAxiosInterceptors(options);
  opened.push(made);
  return made;
}

function keys() {
  const { keyring, consumerKey } = world.provisioned;
  const signing = keyring.active('signing', 'sandbox');
  const encryption = { encryptionKey: keyring.active('request-encryption', 'sandbox').certificate!, decryptionKeys: () => keyring.decryptionKeys('sandbox') };
  return { keyring, consumerKey, signing, encryption };
}

const quoteBody = (reference: string) => crossBorderQuoteRequest(reference, { payment_amount: { amount: '20.00', currency: 'USD' } });

async function rejection(promise: Promise<unknown>): Promise<AxiosError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!axios.isAxiosError(error)) throw new Error(`expected an AxiosError, got ${String(error)}`);
  return error;
}

const everything = (error: unknown) => [inspect(error, { depth: 12 }), JSON.stringify(error), JSON.stringify((error as AxiosError).toJSON())].join('\n');

describe('createAxiosInterceptors against the sandbox', () => {
  it('Cross-Border: OAuth 1.0a over the encrypted bytes, encrypted_payload both ways', async () => {
    const { consumerKey, signing, encryption } = keys();
    const api = axios.create({ baseURL: world.sandbox.urls.crossBorder });
    interceptors({
      ca: world.sandbox.caCertificate,
      oauth1: { consumerKey, signingKey: signing.privateKey! },
      encryption,
      encryptionRules: [{ path: /\/crossborder/, ...payloadPresets.crossBorder }],
    }).install(api);
    const reference = `09${digits(10)}ACFQ`;
    const quote = await api.post('/send/v1/partners/SANDBOX_1234567/crossborder/quotes', quoteBody(reference));
    expect(quote.status).toBe(200);
    expect(quote.data.quote.transaction_reference).toBe(reference);
    const entry = world.sandbox.log().at(-1);
    expect(entry).toMatchObject({ listener: 'crossBorder', auth: 'oauth1', decryption: 'encrypted', response: 'encrypted', status: 200 });
  });

  it('Cross-Border: a 404 stays an AxiosError, with the envelope on error.mcapi and no credential in it', async () => {
    const { consumerKey, signing, encryption } = keys();
    const api = axios.create({ baseURL: world.sandbox.urls.crossBorder });
    interceptors({
      ca: world.sandbox.caCertificate,
      oauth1: { consumerKey, signingKey: signing.privateKey! },
      encryption,
      encryptionRules: [{ path: /\/crossborder/, ...payloadPresets.crossBorder }],
    }).install(api);
    // params go through axios's URL building and are signed as sent.
    const error = await rejection(api.get('/send/v1/partners/SANDBOX_1234567/crossborder/rem_unknown', { params: { ref: 'a b' } }));
    expect(error).toBeInstanceOf(AxiosError);
    expect(error.response?.status).toBe(404);
    const mcapi = mcapiErrorOf(error);
    expect(mcapi).toBeInstanceOf(NotFoundError);
    expect(mcapi?.reasonCode).toBe('RESOURCE_UNKNOWN');
    expect(world.sandbox.log().at(-1)).toMatchObject({ auth: 'oauth1', status: 404 });
    const shown = everything(error);
    expect(shown).not.toContain('oauth_signature');
    expect(shown).not.toContain('PRIVATE KEY');
  });

  it('Cross-Border: a plaintext card number sent and refused is masked everywhere in the error', async () => {
    const { consumerKey, signing } = keys();
    const api = axios.create({ baseURL: world.sandbox.urls.crossBorder });
    // No encryption rules: the body travels as plaintext (optional in Mastercard's sandbox).
    interceptors({ ca: world.sandbox.caCertificate, oauth1: { consumerKey, signingKey: signing.privateKey! } }).install(api);
    const pan = randomPan(19);
    const error = await rejection(
      api.post('/send/v1/partners/SANDBOX_1234567/crossborder/quotes', { quoterequest: { transaction_reference: `09${digits(10)}ACFQ`, sender_account_uri: `pan:${pan}` } }),
    );
    expect(error.response?.status).toBe(400);
    expect(mcapiErrorOf(error)).toBeInstanceOf(BadRequestError);
    expect(everything(error)).not.toContain(pan);
    expect(everything(error)).toContain(`${pan.slice(0, 6)}`);
  });

  it('Cross-Border: the request token (Bearer JWT) per request; the token never shows in an error', async () => {
    const { consumerKey, signing, encryption } = keys();
    const api = axios.create({ baseURL: world.sandbox.urls.crossBorder });
    interceptors({
      ca: world.sandbox.caCertificate,
      requestToken: { consumerKey, signingKey: signing.privateKey!, certificate: signing.certificate! },
      encryption,
      encryptionRules: [{ path: /\/crossborder/, ...payloadPresets.crossBorder }],
    }).install(api);
    const quote = await api.post('/send/v1/partners/SANDBOX_1234567/crossborder/quotes', quoteBody(`09${digits(10)}ACFQ`));
    expect(quote.status).toBe(200);
    expect(world.sandbox.log().at(-1)).toMatchObject({ auth: 'request-token', decryption: 'encrypted' });
    const error = await rejection(api.get('/send/v1/partners/SANDBOX_1234567/crossborder/rem_unknown'));
    expect(mcapiErrorOf(error)?.status).toBe(404);
    expect(everything(error)).not.toMatch(/Bearer\s+ey/);
    expect(everything(error)).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });

  it('Benefit Allocation: mTLS through the https agent, {"encryptedData": JWE}, a 19-digit PAN sent exactly', async () => {
    const { keyring, encryption } = keys();
    const api = axios.create({ baseURL: world.sandbox.urls.benefitAllocation });
    interceptors({
      mtls: keyring.active('mtls', 'sandbox'),
      ca: world.sandbox.caCertificate,
      encryption,
      encryptionRules: [{ path: /\/loyalty\/benefits\//, ...payloadPresets.encryptedData }],
    }).install(api);
    const pan = randomPan(19);
    // A bigint: JSON.stringify (axios's own transform) cannot write it; the lossless writer can.
    const assigned = await api.post('/card-segments', { cardNumber: BigInt(pan), segments: [{ code: 'DART', effectiveDate: today() }] });
    expect(assigned.data.bundles.map((bundle: { code: string }) => bundle.code)).toEqual(['PC4657', 'PC6323']);
    expect(world.sandbox.log().at(-1)).toMatchObject({ listener: 'benefitAllocation', auth: 'mtls', decryption: 'encrypted', response: 'encrypted' });
    const replaced = await api.put('/card-segments-replacements', { cardNumber: BigInt(pan), oldSegmentCode: 'DART', newSegmentCode: 'PRT', effectiveDate: today() });
    expect(replaced.status).toBe(200);
    // A Number would have rounded both to one value; the neighbour has no segment.
    const neighbour = BigInt(pan) + 1n;
    const error = await rejection(api.put('/card-segments-replacements', { cardNumber: neighbour, oldSegmentCode: 'DART', newSegmentCode: 'PRT', effectiveDate: today() }));
    expect(error.response?.status).toBeGreaterThanOrEqual(400);
    expect(mcapiErrorOf(error)?.reasonCode).toBeDefined();
    expect(everything(error)).not.toContain(neighbour.toString());
    expect(everything(error)).not.toContain('PRIVATE KEY');
  });

  it('Benefit Allocation: without the client certificate the handshake is refused (no silent fallback)', async () => {
    const { encryption } = keys();
    const api = axios.create({ baseURL: world.sandbox.urls.benefitAllocation });
    interceptors({ ca: world.sandbox.caCertificate, encryption, encryptionRules: [{ path: /\/loyalty\/benefits\//, ...payloadPresets.encryptedData }] }).install(api);
    const error = await rejection(api.post('/card-segments', { cardNumber: BigInt(randomPan()), segments: [{ code: 'DART', effectiveDate: today() }] }));
    expect(error.response).toBeUndefined();
  });

  it('refuses options that belong to axios, and a second signer', () => {
    expect(() => createAxiosInterceptors({ timeout: 5 } as never)).toThrow(/axios\.create\(\{ timeout \}\)/);
    const { consumerKey, signing } = keys();
    expect(() =>
      createAxiosInterceptors({
        oauth1: { consumerKey, signingKey: signing.privateKey! },
        requestToken: { consumerKey, signingKey: signing.privateKey!, certificate: signing.certificate! },
      }),
    ).toThrow(/give one of oauth1, requestToken/);
  });
});

describe('createAxiosInterceptors keeps numbers exact (a real TLS server sees the bytes)', () => {
  let server: Server;
  let origin: string;
  let ca: string;
  let received = '';
  let reply = '';
  const serverKeys = { privateKey: undefined as unknown as import('node:crypto').KeyObject, publicKey: undefined as unknown as import('node:crypto').KeyObject };
  const ours = { privateKey: undefined as unknown as import('node:crypto').KeyObject, publicKey: undefined as unknown as import('node:crypto').KeyObject };

  beforeAll(async () => {
    const authority = await createCertificateAuthority({ commonName: 'axios lossless test CA' });
    const { privateKey, publicKey } = await generateRsaKeyPair(2048);
    const certificate = issueCertificate({ issuer: authority, publicKey, subject: { CN: '127.0.0.1' }, usage: 'server', ipAddresses: ['127.0.0.1'] });
    Object.assign(serverKeys, await generateRsaKeyPair(2048));
    Object.assign(ours, await generateRsaKeyPair(2048));
    ca = authority.certificate.toString();
    server = createServer({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: certificate.toString() }, (request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => {
        received = body;
        response.writeHead(200, { 'content-type': 'application/json' }).end(reply);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('request and response: the members around an encrypted path, and the plaintext, keep their digits', async () => {
    const made = interceptors({
      ca,
      proxy: false,
      encryption: { encryptionKey: serverKeys.publicKey, decryptionKeys: ours.privateKey },
      encryptionRules: [{ path: /\/secure$/, request: [{ path: '$.secret' }], response: [{ path: '$.secret' }] }],
    });
    const api = axios.create({ baseURL: origin });
    made.install(api);
    const token = await encrypt('{"pan":5291070000000000123,"rate":1.0}', { key: ours.publicKey });
    reply = `{"id":9007199254740993,"fee":0.50,"secret":{"encryptedData":"${token}"}}`;
    const response = await api.post('/secure', { cardNumber: 5291070000000000123n, amount: jsonNumber('105.10'), secret: { pan: 5291070000000000123n, rate: jsonNumber('1.0') } });
    expect(received).toMatch(/^\{"cardNumber":5291070000000000123,"amount":105\.10,"secret":\{"encryptedData":"[^"]+"\}\}$/);
    const sentToken = /"encryptedData":"([^"]+)"/.exec(received)![1]!;
    expect(new TextDecoder().decode((await decrypt(sentToken, { keys: serverKeys.privateKey })).plaintext)).toBe('{"pan":5291070000000000123,"rate":1.0}');
    // Exact both ways: the big id and 0.50 come back as written, the decrypted member too.
    expect(String(response.data.id)).toBe('9007199254740993');
    expect(typeof response.data.id).not.toBe('number');
    expect(isJsonNumber(response.data.fee) && response.data.fee.text).toBe('0.50');
    expect(String(response.data.secret.pan)).toBe('5291070000000000123');
  });

  it('a string body no rule touches goes byte for byte (axios would trim it)', async () => {
    const made = interceptors({ ca, proxy: false });
    const api = axios.create({ baseURL: origin });
    made.install(api);
    reply = '{"n":1.10E+2}';
    const odd = ' { "pan" : 5291070000000000123 ,\n "amount":1.10E+2 }\n';
    const response = await api.post('/open', odd, { headers: { 'content-type': 'application/json' } });
    expect(received).toBe(odd);
    expect(isJsonNumber(response.data.n) && response.data.n.text).toBe('1.10E+2');
  });
});
