// The real sandbox in this process and the real built binary in a child: a keyring made with
// @mcapi/keytool the way a user does it on Mastercard Developers (as packages/client/demo does).
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activateKey, createKeyRequest, importCertificate, initKeyringDirectory } from '@mcapi/keytool';
import { type Sandbox, type SandboxOptions, startSandbox } from '@mcapi/sandbox';
import { type CliRun, builtBinary, cleanCliEnv, cliRun } from '@mcapi/test-kit';

/** The committed bin file; it imports dist/cli.js, built by `pnpm run build` (turbo runs it before tests). */
export const { binary, assertBuilt } = builtBinary(new URL('..', import.meta.url), 'mcapi');
export type { CliRun };

/**
 * Runs the real binary asynchronously (the sandbox answers from this process, so a synchronous
 * spawn would deadlock). stdin is closed unless `input` is given; the environment is clean of the
 * developer's keyring settings.
 */
export function mcapi(cwd: string, args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [binary, ...args], { cwd, env: cleanCliEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve(cliRun(status, stdout, stderr));
    });
  });
}

/** A running sandbox, a provisioned keyring in a temp dir, and the sandbox CA written to a file. */
export interface Fixture {
  sandbox: Sandbox;
  temp: string;
  keyring: string;
  caFile: string;
  consumerKey: string;
  /** Common options: keyring, CA and the sandbox's hosts. */
  args: string[];
  close(): Promise<void>;
}

/** `mtlsValidityDays`: how long the mTLS certificate the dashboard signs is valid (expiry checks). */
export async function startFixture(options: SandboxOptions = {}, fixtureOptions: { mtlsValidityDays?: number } = {}): Promise<Fixture> {
  const sandbox = await startSandbox(options);
  const temp = await mkdtemp(join(tmpdir(), 'mcapi-cli-'));
  try {
    const keyring = join(temp, 'keyring');
    const incoming = join(temp, 'incoming');
    await mkdir(incoming, { mode: 0o700 });
    const save = async (name: string, pem: string) => {
      const file = join(incoming, name);
      await writeFile(file, pem, { mode: 0o600 });
      return file;
    };
    await initKeyringDirectory({ keyring });
    const mtls = await createKeyRequest({ keyring, purpose: 'mtls', sandboxClientId: '000000', subject: { O: 'mcapi' } });
    const signing = await createKeyRequest({ keyring, purpose: 'signing', subject: { CN: 'mcapi cli test', O: 'mcapi' } });
    const response = await createKeyRequest({ keyring, purpose: 'response-decryption', subject: { CN: 'mcapi cli test', O: 'mcapi' } });
    const mtlsIssued = sandbox.dashboard.signCsr({ csr: mtls.csr, purpose: 'mtls', ...(fixtureOptions.mtlsValidityDays === undefined ? {} : { validityDays: fixtureOptions.mtlsValidityDays }) });
    await importCertificate({ keyring, file: await save('mtls.pem', mtlsIssued.certificate + mtlsIssued.chain) });
    const signingIssued = sandbox.dashboard.registerSigningKey({ csr: signing.csr });
    await importCertificate({ keyring, file: await save('signing.pem', signingIssued.certificate), consumerKey: signingIssued.consumerKey });
    const responseIssued = sandbox.dashboard.signCsr({ csr: response.csr, purpose: 'response-decryption' });
    await importCertificate({ keyring, file: await save('response.pem', responseIssued.certificate) });
    const encryption = await importCertificate({ keyring, file: await save('mastercard-encryption.pem', sandbox.requestEncryptionCertificate), purpose: 'request-encryption' });
    for (const id of [mtls.id, signing.id, response.id]) await activateKey({ keyring, id });
    if (encryption.status !== 'active') await activateKey({ keyring, id: encryption.id });
    if (!responseIssued.active) sandbox.dashboard.activateResponseDecryptionKey(responseIssued.id);
    const caFile = await save('sandbox-ca.pem', sandbox.caCertificate);
    return {
      sandbox,
      temp,
      keyring,
      caFile,
      consumerKey: signingIssued.consumerKey,
      args: ['--keyring', keyring, '--ca', caFile, '--bas-url', sandbox.urls.benefitAllocation, '--cross-border-url', sandbox.urls.crossBorder],
      async close() {
        await sandbox.close();
        await rm(temp, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await sandbox.close();
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}
