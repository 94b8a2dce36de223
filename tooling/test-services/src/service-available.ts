import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A system service a suite needs: the command that proves it is installed and its Debian package. */
export interface ServiceRequirement {
  /** e.g. `redis-server`, or a file the package installs (an OpenSSL engine). */
  command: string;
  /** Arguments that make the command print its version and exit 0; absent when `command` is a file. */
  versionArgs?: readonly string[];
  /** The Debian package, for the apt-get line. */
  aptPackage: string;
}

/**
 * Whether a suite that needs `requirement` runs. Under MCAPI_REQUIRE_SERVICES=1 (CI, which
 * installs the packages) a missing service throws, so the suite fails instead of passing
 * silently; otherwise it returns false and prints the line that installs it.
 */
export function serviceAvailable(requirement: ServiceRequirement): boolean {
  const present =
    requirement.versionArgs === undefined
      ? existsSync(requirement.command)
      : spawnSync(requirement.command, [...requirement.versionArgs], { stdio: 'ignore' }).status === 0;
  if (present) return true;
  const install = `apt-get install -y ${requirement.aptPackage}`;
  if (process.env.MCAPI_REQUIRE_SERVICES === '1') {
    throw new Error(`${requirement.command} is not installed but MCAPI_REQUIRE_SERVICES=1 requires it: run \`${install}\`.`);
  }
  console.warn(`[skipped] ${requirement.command} is not installed; these tests need it. Enable them with: ${install}`);
  return false;
}
