import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { McapiError } from '@mcapi/errors';
import { describe, expect, it } from 'vitest';
import { type CommandSpec, type HelpFrame, keyringLocation, renderCommandHelp, runCommandLine, secretFrom } from '../src/index.js';

const frame: HelpFrame = {
  program: 'tool',
  globalOptions: [
    ['--json', 'print only JSON'],
    ['-h, --help', 'this help'],
  ],
  exitCodeLines: ['  0   done', '  64  usage'],
};

const echo: CommandSpec<{ values: Record<string, unknown>; positionals: string[] }> = {
  name: 'echo',
  summary: 'prints its argument',
  usage: 'echo WORD [--upper]',
  positionals: { min: 1, max: 1, names: 'one WORD' },
  options: {
    upper: { type: 'boolean', short: 'u', description: 'in capitals' },
    'key-passphrase-file': { type: 'string', value: 'FILE', description: 'a secret' },
    'consumer-key': { type: 'string', short: 'k', value: 'KEY', description: 'a key' },
  },
  examples: ['tool echo hi'],
  async run({ values, positionals }) {
    if (positionals[0] === 'boom') throw new Error('card 5555555555554444 refused');
    if (positionals[0] === 'fail') throw new McapiError('ERR_SANDBOX', 'it failed');
    const word = values.upper === true ? positionals[0]!.toUpperCase() : positionals[0]!;
    if (typeof values['consumer-key'] === 'string') return { json: { word, key: values['consumer-key'] }, text: `${word} ${values['consumer-key']}` };
    return { json: { word }, text: word };
  },
};

async function run(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk) => out.push(String(chunk)));
  stderr.on('data', (chunk) => err.push(String(chunk)));
  const code = await runCommandLine(argv, {
    frame,
    help: { summary: 'a test tool.', notes: ['A note.'], examples: ['tool echo hi'] },
    specs: [echo],
    secretFlagMessage: 'Secrets only from files.',
    stdout,
    stderr,
    context: ({ values, positionals }) => ({ values, positionals }),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('runCommandLine', () => {
  it('runs a command: text, or only JSON with --json', async () => {
    expect(await run(['echo', 'hi', '-u'])).toEqual({ code: 0, stdout: 'HI\n', stderr: '' });
    expect(JSON.parse((await run(['echo', 'hi', '--json'])).stdout)).toEqual({ word: 'hi' });
  });

  it('prints the general help (exit 0 when asked, 64 with no command) and a command help', async () => {
    const asked = await run(['--help']);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toBe(
      [
        'tool: a test tool.',
        '',
        'Usage: tool COMMAND [ARGS] [OPTIONS]',
        '',
        'Commands:',
        '  echo  prints its argument',
        '',
        'Options of every command:',
        '  --json      print only JSON',
        '  -h, --help  this help',
        '',
        'A note.',
        '',
        'Examples:',
        '  tool echo hi',
        '',
        'Exit codes:',
        '  0   done',
        '  64  usage',
        '',
      ].join('\n'),
    );
    expect((await run([])).code).toBe(64);
    const help = await run(['echo', '--help']);
    expect(help.stdout).toBe(`${renderCommandHelp(frame, echo)}\n`);
    expect(help.stdout).toMatch(/\n  -u, --upper +in capitals\n  --key-passphrase-file FILE +a secret\n  -k, --consumer-key KEY +a key\n/);
  });

  it('refuses usage errors with 64 and a message naming the help', async () => {
    expect(await run(['nope'])).toMatchObject({ code: 64, stderr: 'error: Unknown command "nope". Commands: echo. See: tool --help (ERR_CLI_USAGE)\n' });
    expect(await run(['echo'])).toMatchObject({ code: 64, stderr: 'error: echo takes one WORD. Usage: tool echo WORD [--upper] (ERR_CLI_USAGE)\n' });
    expect((await run(['echo', 'hi', '--loud'])).stderr).toMatch(/Unknown option '--loud'. See: tool echo --help \(ERR_CLI_USAGE\)/);
  });

  it('takes a string option\'s value that begins with a dash (a consumer key may), yet still reports a value that was forgotten', async () => {
    const key = '-JaA_cEZvH8_oI2_-MCXbTDNjZ8TXwlhObMWZNcnrr65iVa1!ca569c25086a4ff5db039706ed43303ae0a8de2eab6267ff';
    for (const argv of [
      ['echo', 'hi', '--consumer-key', key],
      ['echo', '--consumer-key', key, 'hi'],
      ['echo', 'hi', '-k', key],
      ['echo', 'hi', `--consumer-key=${key}`],
      ['echo', 'hi', '--consumer-key', `-${key}`],
    ]) {
      expect(await run(argv), argv.join(' ')).toMatchObject({ code: 0, stdout: `hi ${argv.at(-1) === 'hi' ? key : argv.at(-1)!.replace('--consumer-key=', '')}\n` });
    }
    // An option, known or not, or the command's own short flags, are never a value.
    for (const next of ['--upper', '--uper', '-u', '-uh', '--']) {
      expect(await run(['echo', 'hi', '--consumer-key', next]), next).toMatchObject({ code: 64, stderr: expect.stringMatching(/'--consumer-key' argument is (ambiguous|missing)/) });
    }
    // After `--` everything is positional.
    expect(await run(['echo', '--', '--consumer-key', '-x'])).toMatchObject({ code: 64, stderr: expect.stringContaining('echo takes one WORD') });
  });

  it('refuses a secret typed as a flag value before parsing, whether or not the command knows the flag', async () => {
    for (const flag of ['--passphrase=hunter2', '--key-passphrase', '--client-secret=x', '--password']) {
      const result = await run(['echo', 'hi', flag]);
      expect(result, flag).toMatchObject({ code: 64, stderr: 'error: Secrets only from files. (ERR_CLI_USAGE)\n' });
      expect(result.stderr).not.toContain('hunter2');
    }
    // The safe forms are options like any other.
    expect((await run(['echo', 'hi', '--key-passphrase-file', '/dev/null'])).code).toBe(0);
  });

  it('reports failures with exit 2, JSON on stdout with --json, and redacts messages that are not McapiError', async () => {
    expect(await run(['echo', 'fail'])).toMatchObject({ code: 2, stderr: 'error: it failed (ERR_SANDBOX)\n' });
    const boom = await run(['echo', 'boom', '--json']);
    expect(boom.code).toBe(2);
    expect(boom.stderr).not.toContain('5555555555554444');
    expect(JSON.parse(boom.stdout)).toMatchObject({ error: { code: 'ERR_UNEXPECTED' } });
  });
});

describe('secretFrom', () => {
  it('reads a file (one trailing newline dropped) or a named variable, then the default variable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-kit-'));
    await writeFile(join(dir, 'pass'), 's3cret\n');
    expect(await secretFrom({ 'passphrase-file': join(dir, 'pass') }, 'passphrase', {})).toBe('s3cret');
    expect(await secretFrom({ 'passphrase-env': 'MY_PASS' }, 'passphrase', { MY_PASS: 'v' })).toBe('v');
    expect(await secretFrom({}, 'passphrase', { DEFAULT_PASS: 'd' }, 'DEFAULT_PASS')).toBe('d');
    expect(await secretFrom({}, 'passphrase', {})).toBeUndefined();
  });

  it('never echoes what may be the secret itself', async () => {
    const unset = secretFrom({ 'passphrase-env': 'hunter2' }, 'passphrase', {});
    await expect(unset).rejects.toMatchObject({ code: 'ERR_CLI_USAGE' });
    await expect(unset).rejects.not.toThrow(/hunter2/);
    const notAName = secretFrom({ 'passphrase-env': 'hunter 2!' }, 'passphrase', {});
    await expect(notAName).rejects.toThrow(/not the secret/);
    await expect(notAName).rejects.not.toThrow(/hunter/);
    await expect(secretFrom({ 'passphrase-env': 'A', 'passphrase-file': 'f' }, 'passphrase', {})).rejects.toThrow(/either/);
  });
});

describe('keyringLocation', () => {
  it('takes the option, else MCAPI_KEYRING, else ./.mcapi/keyring, and says whether one was named', () => {
    expect(keyringLocation('/k', { MCAPI_KEYRING: '/e' })).toEqual({ dir: '/k', given: true });
    expect(keyringLocation(undefined, { MCAPI_KEYRING: '/e' })).toEqual({ dir: '/e', given: true });
    expect(keyringLocation(undefined, { MCAPI_KEYRING: '' })).toEqual({ dir: resolve('.mcapi/keyring'), given: false });
  });
});
