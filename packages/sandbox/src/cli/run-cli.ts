import { parseArgs } from 'node:util';
import { McapiError, exitCodes as shared } from '@mcapi/errors';
import type { SandboxOptions } from '../sandbox-options.js';
import { type Sandbox, startSandbox } from '../start-sandbox.js';

/** Where the CLI writes. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * Exit codes of `mcapi-sandbox`: the table every mcapi CLI shares (`exitCodes` of
 * `@mcapi/errors`): 0 stopped normally, 2 failed to start or to stop, 64 bad usage.
 */
export const exitCodes = { ok: shared.ok, failure: shared.failure, usage: shared.usage } as const;

const usage = `Usage: mcapi-sandbox [options]

Starts a local Mastercard-like gateway on 127.0.0.1 and prints its URLs, the CA certificate to
trust and the request-encryption certificate. Stop it with Ctrl-C.

Options:
  --json                          print one JSON object instead of text
  --state DIR                     keep keys and data in DIR between runs (memory only otherwise)
  --port-benefit-allocation N     port of the mTLS Benefit Allocation listener (default: free port)
  --port-cross-border N           port of the OAuth 1.0a Cross-Border listener (default: free port)
  --port-dashboard N              port of the dashboard API (default: free port)
  --request-token                 accept Cross-Border request tokens (Bearer JWT)
  -h, --help                      show this help

Examples:
  mcapi-sandbox
  mcapi-sandbox --json --state ./.mcapi/sandbox --port-dashboard 8089

Exit codes: 0 stopped normally, 2 failed to start or to stop, 64 bad usage.`;

/** Result of {@link runCli}: the running sandbox, or an exit code when nothing was started. */
export type CliResult = { sandbox: Sandbox } | { exitCode: number };

/**
 * The `mcapi-sandbox` command without process wiring: parses arguments, starts the sandbox and
 * prints how to reach it.
 *
 * @example
 * ```ts
 * const result = await runCli(['--json'], { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<CliResult> {
  let values: ReturnType<typeof parse>;
  try {
    values = parse(argv);
  } catch (error) {
    io.stderr(`mcapi-sandbox: ${(error as Error).message}\n\n${usage}\n`);
    return { exitCode: exitCodes.usage };
  }
  if (values.help) {
    io.stdout(`${usage}\n`);
    return { exitCode: exitCodes.ok };
  }
  const options: SandboxOptions = { requestTokenEnabled: values['request-token'] === true };
  if (values.state !== undefined) options.state = values.state;
  try {
    const ports: NonNullable<SandboxOptions['ports']> = {};
    for (const [flag, name] of [
      ['port-benefit-allocation', 'benefitAllocation'],
      ['port-cross-border', 'crossBorder'],
      ['port-dashboard', 'dashboard'],
    ] as const) {
      const text = values[flag];
      if (text === undefined) continue;
      if (!/^\d{1,5}$/.test(text)) throw new McapiError('ERR_CLI_USAGE', `--${flag} must be a port number.`);
      ports[name] = Number(text);
    }
    options.ports = ports;
  } catch (error) {
    io.stderr(`mcapi-sandbox: ${(error as Error).message}\n`);
    return { exitCode: exitCodes.usage };
  }

  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox(options);
  } catch (error) {
    io.stderr(`mcapi-sandbox: could not start: ${(error as Error).message}\n`);
    return { exitCode: exitCodes.failure };
  }
  const summary = {
    urls: sandbox.urls,
    caCertificate: sandbox.caCertificate,
    requestEncryptionCertificate: sandbox.requestEncryptionCertificate,
    requestEncryptionKeyFingerprint: sandbox.requestEncryptionKeyFingerprint,
  };
  if (values.json) {
    io.stdout(`${JSON.stringify(summary)}\n`);
  } else {
    io.stdout(
      [
        'mcapi sandbox running on 127.0.0.1 (Ctrl-C to stop)',
        `  Benefit Allocation (mTLS + JWE):   ${sandbox.urls.benefitAllocation}`,
        `  Cross-Border (OAuth 1.0a + JWE):   ${sandbox.urls.crossBorder}`,
        `  OAuth 2.0 (FAPI 2.0, DPoP):        ${sandbox.urls.oauth2}`,
        `  Dashboard API:                     ${sandbox.urls.dashboard}/`,
        `  Request-encryption key (JWE kid):  ${sandbox.requestEncryptionKeyFingerprint}`,
        values.state === undefined ? '  State: in memory (use --state DIR to keep it)' : `  State: ${values.state}`,
        '',
        'CA certificate (trust it for the gateway; it also signs your client certificates):',
        sandbox.caCertificate.trim(),
        '',
        'Request-encryption certificate (encrypt request payloads to it):',
        sandbox.requestEncryptionCertificate.trim(),
        '',
        `Next: POST your mTLS CSR to ${sandbox.urls.dashboard}/certificates with {"purpose":"mtls","csr":"<PEM>"}.`,
        '',
      ].join('\n'),
    );
  }
  return { sandbox };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      json: { type: 'boolean' },
      state: { type: 'string' },
      'port-benefit-allocation': { type: 'string' },
      'port-cross-border': { type: 'string' },
      'port-dashboard': { type: 'string' },
      'request-token': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
}
