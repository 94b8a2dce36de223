import { McapiError } from '@mcapi/errors';
import type { KeyringEntry, KeyringManifest } from '@mcapi/keys';

/** The entry with `id`, or `ERR_KEYRING_ENTRY` naming the command that lists ids. */
export function findEntry(manifest: KeyringManifest, id: string, dir: string): KeyringEntry {
  const entry = manifest.keys.find((key) => key.id === id);
  if (entry === undefined) {
    throw new McapiError('ERR_KEYRING_ENTRY', `No key "${id}" in the keyring ${dir}. See the ids with: mcapi-keytool list --keyring ${dir}`);
  }
  return entry;
}
