import { McapiError } from '@mcapi/errors';

const unitDays: Record<string, number> = { d: 1, w: 7, h: 1 / 24, m: 1 / 1440 };

/** Parses `30d`, `2w`, `12h` or a plain number of days into days. */
export function parseDurationDays(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)([dwhm]?)$/.exec(text.trim());
  if (match === null) {
    throw new McapiError('ERR_CLI_USAGE', `${option} must be a duration such as 30d, 2w or 12h (got "${text}").`);
  }
  return Number(match[1]) * (unitDays[match[2] || 'd'] ?? 1);
}
