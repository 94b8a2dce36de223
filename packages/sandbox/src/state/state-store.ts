import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { McapiError } from '@mcapi/errors';
import { writeFileAtomic } from '@mcapi/keys';
import type { StoredSandboxKeys } from '../crypto/sandbox-keys.js';
import { type DashboardState, emptyDashboardState } from '../dashboard/dashboard-state.js';
import { type BasState, emptyBasState } from '../bas/bas-state.js';
import { type CrossBorderState, emptyCrossBorderState } from '../cross-border/cross-border-state.js';
import { type WebhookState, emptyWebhookState, readWebhookState } from '../webhooks/webhook-state.js';

/** Everything the sandbox keeps between runs with `--state DIR`. */
export interface SandboxStateData {
  version: 1;
  keys?: StoredSandboxKeys;
  dashboard: DashboardState;
  benefitAllocation: BasState;
  crossBorder: CrossBorderState;
  /** Registered webhooks (absent in files written before they were kept: loads as none). */
  webhooks: WebhookState;
}

/** The state and how it is saved. Without a directory it lives in memory only. */
export interface StateStore {
  data: SandboxStateData;
  /** Schedules a save (coalesced); a no-op in memory. */
  changed(): void;
  /** Waits for pending saves. */
  flush(): Promise<void>;
}

/** File name of the state inside the state directory. */
export const STATE_FILE = 'sandbox-state.json';

/** Loads the state from `directory` (or starts empty) and returns its store. */
export async function openStateStore(directory?: string): Promise<StateStore> {
  const data = directory === undefined ? emptyState() : await load(join(directory, STATE_FILE));
  if (directory === undefined) return { data, changed: () => undefined, flush: async () => undefined };

  const path = join(directory, STATE_FILE);
  let writing: Promise<void> | undefined;
  let dirty = false;
  let failure: unknown;
  const writeLoop = async () => {
    while (dirty) {
      dirty = false;
      // The file holds the CA and encryption private keys: 0600, written atomically.
      await writeFileAtomic(path, JSON.stringify(data), { overwrite: true, mode: 0o600 }).catch((error: unknown) => {
        failure = error;
      });
    }
    writing = undefined;
  };
  return {
    data,
    changed() {
      dirty = true;
      writing ??= writeLoop();
    },
    async flush() {
      while (writing) await writing;
      if (failure !== undefined) {
        const cause = failure;
        failure = undefined;
        throw new McapiError('ERR_SANDBOX', `Could not save the sandbox state to ${path}; check the directory permissions.`, { cause });
      }
    },
  };
}

function emptyState(): SandboxStateData {
  return { version: 1, dashboard: emptyDashboardState(), benefitAllocation: emptyBasState(), crossBorder: emptyCrossBorderState(), webhooks: emptyWebhookState() };
}

async function load(path: string): Promise<SandboxStateData> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw new McapiError('ERR_SANDBOX', `Cannot read the sandbox state ${path}; check its permissions.`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new McapiError('ERR_SANDBOX', `The sandbox state ${path} is not valid JSON; move it away to start fresh.`, { cause });
  }
  const value = parsed as Partial<SandboxStateData>;
  if (typeof value !== 'object' || value === null || value.version !== 1) {
    throw new McapiError('ERR_SANDBOX', `The sandbox state ${path} has an unknown format; move it away to start fresh.`);
  }
  const fresh = emptyState();
  const webhooks = readWebhookState(value.webhooks);
  if (webhooks === undefined) throw new McapiError('ERR_SANDBOX', `The webhooks saved in ${path} are not a list of registrations; move it away to start fresh.`);
  return {
    version: 1,
    ...(value.keys !== undefined && { keys: value.keys }),
    dashboard: value.dashboard ?? fresh.dashboard,
    benefitAllocation: value.benefitAllocation ?? fresh.benefitAllocation,
    crossBorder: value.crossBorder ?? fresh.crossBorder,
    webhooks,
  };
}
