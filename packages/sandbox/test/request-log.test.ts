import { describe, expect, it } from 'vitest';
import { createRequestLog } from '../src/gateway/request-log.js';

const entry = (path: string) => ({
  listener: 'crossBorder' as const,
  method: 'GET',
  path,
  auth: 'oauth1',
  decryption: 'none',
  response: 'none',
  status: 200,
  durationMs: 1,
  steps: [],
});

describe('createRequestLog', () => {
  it('keeps the newest `capacity` entries, oldest first, with ids that keep counting', () => {
    const log = createRequestLog(3);
    for (const path of ['/a', '/b', '/c', '/d', '/e']) log.append(entry(path));
    expect(log.entries().map(({ id, path }) => [id, path])).toEqual([
      [3, '/c'],
      [4, '/d'],
      [5, '/e'],
    ]);
    // A copy: what a reader holds does not change under it.
    const held = log.entries();
    log.append(entry('/f'));
    expect(held.map(({ id }) => id)).toEqual([3, 4, 5]);
    log.clear();
    expect(log.entries()).toEqual([]);
  });

  it('redacts what it keeps: a PAN in a path is masked when the entry is appended', () => {
    const log = createRequestLog();
    log.append(entry('/cards/5291070000000000123'));
    expect(log.entries()[0]!.path).toBe('/cards/529107*********0123');
  });
});
