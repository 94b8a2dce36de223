// The commands of mcapi-keytool, in the order --help lists them.
import { activateCommand } from './activate-command.js';
import { checkCommand } from './check-command.js';
import { csrCommand } from './csr-command.js';
import { exportJwkCommand } from './export-jwk-command.js';
import { exportJwksCommand } from './export-jwks-command.js';
import { exportP12Command } from './export-p12-command.js';
import { fingerprintCommand } from './fingerprint-command.js';
import { importCertCommand } from './import-cert-command.js';
import { importP12Command } from './import-p12-command.js';
import { initCommand } from './init-command.js';
import { inspectCommand } from './inspect-command.js';
import { listCommand } from './list-command.js';
import { retireCommand } from './retire-command.js';
import { rotateCommand } from './rotate-command.js';
import type { CommandSpec } from './command-spec.js';

export type { CommandOutput, CommandSpec } from './command-spec.js';

export const commandSpecs: readonly CommandSpec[] = [
  initCommand,
  csrCommand,
  importCertCommand,
  importP12Command,
  activateCommand,
  rotateCommand,
  retireCommand,
  listCommand,
  inspectCommand,
  fingerprintCommand,
  exportP12Command,
  exportJwkCommand,
  exportJwksCommand,
  checkCommand,
];
