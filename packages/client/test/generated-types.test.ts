import { describe, expect, it } from 'vitest';
import { documents, generateTypes, readGenerated } from '../scripts/generate-types.js';

describe('generated types', () => {
  it.each(documents)('src/generated/%s.ts is what the OpenAPI document generates', async (name) => {
    expect(await generateTypes(name)).toBe(await readGenerated(name));
  });

  it('types int64 card numbers as bigint | string, not number', async () => {
    expect(await readGenerated('benefit-allocation')).toMatch(/CardNumber: bigint \| string;/);
  });
});
