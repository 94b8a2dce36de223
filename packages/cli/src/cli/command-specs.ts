import { decryptCommand } from '../commands/decrypt-command.js';
import { doctorCommand } from '../commands/doctor-command.js';
import { encryptCommand } from '../commands/encrypt-command.js';
import { requestCommand } from '../commands/request-command.js';
import { signCommand } from '../commands/sign-command.js';
import type { CommandSpec } from './command-spec.js';

/** Every command of `mcapi`, in help order. */
export const commandSpecs: readonly CommandSpec[] = [requestCommand, signCommand, decryptCommand, encryptCommand, doctorCommand];
