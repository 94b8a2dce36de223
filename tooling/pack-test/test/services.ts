// The system services a README example may name (`<!-- pack-test: run, needs softhsm2 -->`):
// how to tell one is installed, for @mcapi/test-services' serviceAvailable.
import type { ServiceRequirement } from '@mcapi/test-services';

const requirements: Record<string, ServiceRequirement> = {
  softhsm2: { command: 'softhsm2-util', versionArgs: ['--version'], aptPackage: 'softhsm2' },
};

export function serviceRequirement(name: string): ServiceRequirement {
  const requirement = requirements[name];
  if (requirement === undefined) throw new Error(`A README example needs "${name}", which pack-test does not know: add it to test/services.ts.`);
  return requirement;
}
