import { checkKeyring } from '../commands/check.js';
import { type CommandSpec, text, optional } from './command-spec.js';
import { parseDurationDays } from './duration.js';

/** `mcapi-keytool check`. */
export const checkCommand: CommandSpec = {
  name: 'check',
  summary: 'exit 0 when no active certificate expires within the window, 1 when one does, 2 when one expired or the keyring is broken',
  usage: 'check [--expires-in 30d]',
  positionals: { min: 0, max: 0, names: '' },
  options: { 'expires-in': { type: 'string', value: 'DURATION', description: 'window: 30d (default), 2w, 12h' } },
  examples: ['mcapi-keytool check --expires-in 30d || notify-ops "rotate Mastercard keys"'],
  async run(context) {
    const window = text(context.values, 'expires-in');
    const passphrase = await context.openingPassphrase().catch(() => undefined);
    const result = await checkKeyring({
      keyring: context.keyring,
      ...optional('expiresInDays', window === undefined ? undefined : parseDurationDays(window, '--expires-in')),
      ...optional('passphrase', passphrase),
    });
    const lines = result.keys.map((key) => `${key.state.padEnd(13)} ${key.id}  ${key.purpose} ${key.environment}${key.expiresInDays === undefined ? '' : `  ${key.expiresInDays} days left`}`);
    lines.push(...result.problems.filter((problem) => !result.keys.some((key) => key.problem === problem)));
    lines.push(result.status === 'ok' ? `ok: ${result.keys.length} active key(s), none expiring` : `${result.status}: ${result.problems.length} problem(s)`);
    return { json: result, text: lines.join('\n'), exitCode: result.exitCode };
  },
};
