import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadCertificateChain, loadPrivateKey, publicKeyFingerprint } from '@mcapi/keys';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDurationDays } from '../src/cli/duration.js';
import { promptHidden } from '../src/cli/hidden-prompt.js';
import { formatTable } from '../src/cli/table.js';
import {
  activateKey,
  checkKeyring,
  createCertificateAuthority,
  createKeyRequest,
  exitCodes,
  importCertificate,
  initKeyringDirectory,
  issueCertificate,
  listKeys,
  rotateKey,
  runCli,
} from '../src/index.js';
import { sandboxCommonName } from '../src/commands/csr.js';
import { temporaryDirectory } from './helpers.js';

const { dir, cleanup } = temporaryDirectory();
afterAll(cleanup);

/** A fake terminal: a readable stream that claims to be a TTY, and a writable capturing output. */
function fakeTerminal() {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode(mode: boolean) { stdin.isRaw = mode; return stdin; } });
  const written: string[] = [];
  const stderr = Object.assign(new PassThrough(), { isTTY: true });
  stderr.on('data', (chunk: Buffer) => written.push(chunk.toString()));
  return { stdin: stdin as unknown as NodeJS.ReadStream, stderr: stderr as unknown as NodeJS.WriteStream, written };
}

describe('hidden prompt', () => {
  it('reads a line without echoing it, honouring backspace, and restores the terminal', async () => {
    const terminal = fakeTerminal();
    const answer = promptHidden('Passphrase: ', terminal);
    terminal.stdin.write('s3cx\u007fret\r');
    expect(await answer).toBe('s3cret');
    expect(terminal.written.join('')).toBe('Passphrase: \n');
    expect(terminal.stdin.isRaw).toBe(false);
  });

  it('Ctrl-C cancels with exit code 130; no terminal means a usage error instead of a hang', async () => {
    const terminal = fakeTerminal();
    const answer = promptHidden('Passphrase: ', terminal);
    terminal.stdin.write('abc\u0003');
    await expect(answer).rejects.toMatchObject({ code: 'ERR_ABORTED', exitCode: exitCodes.interrupted });
    const pipe = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
    await expect(promptHidden('x', { stdin: pipe, stderr: terminal.stderr })).rejects.toMatchObject({ code: 'ERR_CLI_USAGE' });
  });
});

describe('small CLI pieces', () => {
  it('parses --expires-in durations and rejects nonsense', () => {
    expect(parseDurationDays('30d', '--expires-in')).toBe(30);
    expect(parseDurationDays('2w', '--expires-in')).toBe(14);
    expect(parseDurationDays('12h', '--expires-in')).toBe(0.5);
    expect(parseDurationDays('7', '--expires-in')).toBe(7);
    expect(() => parseDurationDays('soon', '--expires-in')).toThrow(/--expires-in must be a duration/);
  });

  it('aligns table columns', () => {
    expect(formatTable(['ID', 'STATUS'], [['a-long-id', 'active'], ['b', 'pending']])).toBe('ID         STATUS\na-long-id  active\nb          pending');
  });

  it('builds the sandbox CN from the clock and refuses odd client ids', () => {
    expect(sandboxCommonName('000000', new Date('2026-11-25T00:00:00Z'))).toBe('1795564800-Client-MTF-000000');
    expect(() => sandboxCommonName('a b', new Date())).toThrow(/letters, digits/);
  });

  it('runCli without a command prints the help and exits 64; --help exits 0', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const io = { stdout: out as unknown as NodeJS.WriteStream, stderr: new PassThrough() as unknown as NodeJS.WriteStream, env: {} };
    expect(await runCli([], io)).toBe(exitCodes.usage);
    expect(text).toContain('Usage: mcapi-keytool COMMAND');
    expect(await runCli(['--help'], io)).toBe(exitCodes.ok);
  });
});

describe('checkKeyring (library, injected clock)', () => {
  it('classifies the active certificate against the window as the clock moves', async () => {
    const keyring = join(dir, 'clock');
    await initKeyringDirectory({ keyring });
    const { id, csr } = await createKeyRequest({ keyring, purpose: 'mtls', subject: { CN: 'clock' } });
    const ca = await createCertificateAuthority({ commonName: 'clock CA' });
    const notBefore = new Date('2030-01-01T00:00:00Z');
    const notAfter = new Date('2030-12-31T00:00:00Z');
    writeFileSync(join(dir, 'clock.pem'), issueCertificate({ issuer: ca, csr, usage: 'client', notBefore, notAfter }).toString());
    await importCertificate({ keyring, file: join(dir, 'clock.pem') });
    const at = (iso: string) => () => Date.parse(iso);
    await activateKey({ keyring, id, now: at('2030-06-01T00:00:00Z') });
    expect(await checkKeyring({ keyring, now: at('2030-06-01T00:00:00Z') })).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(await checkKeyring({ keyring, now: at('2030-12-10T00:00:00Z') })).toMatchObject({ status: 'expiring', exitCode: 1, keys: [{ id, expiresInDays: 21 }] });
    expect(await checkKeyring({ keyring, now: at('2030-12-10T00:00:00Z'), expiresInDays: 7 })).toMatchObject({ exitCode: 0 });
    expect(await checkKeyring({ keyring, now: at('2031-01-02T00:00:00Z') })).toMatchObject({ status: 'expired', exitCode: 2 });
    expect(await checkKeyring({ keyring, now: at('2029-01-01T00:00:00Z') })).toMatchObject({ keys: [{ state: 'not-yet-valid' }], exitCode: 2 });
  });
});

describe('importCertificate (library)', () => {
  it('finds the leaf in a chain file in any order and stores it first, and rotate warns about an earlier pending key', async () => {
    const keyring = join(dir, 'chain');
    await initKeyringDirectory({ keyring });
    const ca = await createCertificateAuthority({ commonName: 'chain CA' });
    const { id, csr, publicKeyFingerprint: fingerprint } = await createKeyRequest({ keyring, purpose: 'signing', subject: { CN: 'chain', O: 'Example' } });
    const leaf = issueCertificate({ issuer: ca, csr, usage: 'client' });
    writeFileSync(join(dir, 'chain.pem'), `${ca.certificate.toString()}${leaf.toString()}`);
    const imported = await importCertificate({ keyring, file: join(dir, 'chain.pem'), consumerKey: 'ck!42' });
    expect(imported).toMatchObject({ id, ready: true, consumerKey: 'ck!42', subject: 'CN=chain,O=Example' });
    const [first, second] = await loadCertificateChain({ path: imported.files.certificate! });
    expect(publicKeyFingerprint(first!)).toBe(fingerprint);
    expect(second!.subject).toBe('CN=chain CA');
    await activateKey({ keyring, id });
    const one = await rotateKey({ keyring, purpose: 'signing' });
    expect(one.warnings).toEqual([]);
    const two = await rotateKey({ keyring, purpose: 'signing' });
    expect(two.warnings).toEqual([expect.stringContaining(`${one.id} is still pending`)]);
    expect(two.subject).toBe('CN=chain,O=Example');
  });
});

describe('runCli prompts on a terminal', () => {
  const io = () => {
    const terminal = fakeTerminal();
    let stdout = '';
    const out = new PassThrough();
    out.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    return { terminal, options: { stdin: terminal.stdin, stderr: terminal.stderr, stdout: out as unknown as NodeJS.WriteStream, env: {} }, stdout: () => stdout };
  };
  // Answers each prompt as it appears on stderr.
  const answer = (terminal: ReturnType<typeof fakeTerminal>, replies: string[]) => {
    let seen = 0;
    (terminal.stderr as unknown as PassThrough).on('data', (chunk: Buffer) => {
      if (/: $/.test(chunk.toString()) && seen < replies.length) setImmediate(() => terminal.stdin.write(`${replies[seen++]}\r`));
    });
  };

  it('asks for a new key passphrase twice (hidden) and encrypts the key with it', async () => {
    const keyring = join(dir, 'prompted');
    await initKeyringDirectory({ keyring });
    const { terminal, options, stdout } = io();
    answer(terminal, ['typed secret', 'typed secret']);
    const code = await runCli(['csr', '--keyring', keyring, '--purpose', 'signing', '--cn', 'p', '--json'], options);
    expect(code).toBe(0);
    const result = JSON.parse(stdout()) as { privateKeyEncrypted: boolean; files: { privateKey: string } };
    expect(result.privateKeyEncrypted).toBe(true);
    expect(terminal.written.join('')).not.toContain('typed secret');
    await expect(loadPrivateKey({ path: result.files.privateKey }, { passphrase: 'typed secret' })).resolves.toBeDefined();

    const fresh = join(dir, 'prompted-fresh');
    await initKeyringDirectory({ keyring: fresh });
    const mismatch = io();
    answer(mismatch.terminal, ['one', 'two']);
    expect(await runCli(['csr', '--keyring', fresh, '--purpose', 'signing', '--cn', 'p'], mismatch.options)).toBe(exitCodes.failure);
    expect(mismatch.terminal.written.join('')).toContain('The two entries differ');
    expect(await listKeys({ keyring: fresh })).toEqual([]);
  });

  it('retire --destroy goes ahead only when the typed id matches', async () => {
    const keyring = join(dir, 'confirm');
    await initKeyringDirectory({ keyring });
    const { id, files } = await createKeyRequest({ keyring, purpose: 'signing', subject: { CN: 'c' } });
    const wrong = io();
    answer(wrong.terminal, ['not-the-id']);
    expect(await runCli(['retire', id, '--destroy', '--keyring', keyring], wrong.options)).toBe(exitCodes.usage);
    expect(existsSync(files.privateKey!)).toBe(true);
    const right = io();
    answer(right.terminal, [id]);
    expect(await runCli(['retire', id, '--destroy', '--keyring', keyring], right.options)).toBe(exitCodes.ok);
    expect(existsSync(files.privateKey!)).toBe(false);
  });
});
