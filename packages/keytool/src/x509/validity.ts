import { McapiError } from '@mcapi/errors';

const dayMs = 86_400_000;
// Backdate new certificates a little: a peer whose clock runs slightly behind would otherwise
// reject a certificate issued "in the future" (common in CI containers).
const backdateMs = 5 * 60_000;

/** Validity input: a number of days from now, or explicit dates. */
export interface ValidityOptions {
  validityDays?: number;
  notBefore?: Date;
  notAfter?: Date;
}

/** Resolves and checks a validity window; option names appear in messages. */
export function resolveValidity(options: ValidityOptions, defaultDays: number, now = Date.now()): { notBefore: Date; notAfter: Date } {
  const { validityDays, notBefore, notAfter } = options;
  if (validityDays !== undefined && (notBefore !== undefined || notAfter !== undefined)) {
    throw new McapiError('ERR_INVALID_OPTION', 'Pass either validityDays or notBefore/notAfter, not both.');
  }
  if (validityDays !== undefined && !(Number.isFinite(validityDays) && validityDays > 0)) {
    throw new McapiError('ERR_INVALID_OPTION', 'validityDays must be a positive number of days.');
  }
  for (const [name, value] of [['notBefore', notBefore], ['notAfter', notAfter]] as const) {
    if (value !== undefined && !(value instanceof Date && !Number.isNaN(value.getTime()))) {
      throw new McapiError('ERR_INVALID_OPTION', `${name} must be a valid Date.`);
    }
  }
  const start = notBefore ?? new Date(now - backdateMs);
  const end = notAfter ?? new Date(start.getTime() + (validityDays ?? defaultDays) * dayMs);
  if (end.getTime() <= start.getTime()) throw new McapiError('ERR_INVALID_OPTION', 'notAfter must be after notBefore.');
  return { notBefore: start, notAfter: end };
}
