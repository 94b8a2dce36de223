// In-memory Benefit Allocation state: segments and bundles per card, frozen flags, owners.
// Plain JSON so it can be persisted under --state.

/** A segment assignment on a card. */
export interface SegmentRecord {
  code: string;
  effectiveDate: string;
  expiryDate?: string;
}

/** A bundle assignment on a card (bundle codes are at most 6 characters, api-facts §1.4). */
export interface BundleRecord {
  code: string;
  segment: string;
  effectiveDate: string;
  expiryDate?: string;
}

/** Everything the sandbox knows about one PAN. */
export interface CardRecord {
  /** The dashboard project that first used the card; others get PERMISSION_DENIED. */
  owner: string;
  segments: SegmentRecord[];
  bundles: BundleRecord[];
  frozen: boolean;
  frozenDate?: string;
  replacedBy?: string;
}

/** The Benefit Allocation service state. */
export interface BasState {
  cards: Record<string, CardRecord>;
}

/** A fresh, empty state. */
export function emptyBasState(): BasState {
  return { cards: {} };
}

/** Forgets every card, in place (the gateway holds a reference to the state object). */
export function clearBasState(state: BasState): void {
  state.cards = {};
}

// The spec examples map segment DART to bundles PC4657 and PC6323 (api-facts §1.4, §1.8); other
// segment codes get two stable bundle codes derived from the code, so responses are repeatable.
const knownSegments: Record<string, string[]> = {
  DART: ['PC4657', 'PC6323'],
  PRT: ['PC7781', 'PC2290'],
};

/** The bundle codes a segment code maps to. */
export function bundlesForSegment(code: string): string[] {
  const known = knownSegments[code];
  if (known) return known;
  let hash = 2166136261;
  for (let index = 0; index < code.length; index++) {
    hash = Math.imul(hash ^ code.charCodeAt(index), 16777619) >>> 0;
  }
  const first = String(hash % 10000).padStart(4, '0');
  const second = String(Math.floor(hash / 10000) % 10000).padStart(4, '0');
  return [`PC${first}`, `PC${second === first ? '0000' : second}`];
}

/** True while the assignment has no expiry or expires on/after `date`. */
export function isActiveOn(record: { expiryDate?: string }, date: string): boolean {
  return record.expiryDate === undefined || record.expiryDate >= date;
}

/** The wire form of a bundle (`BundleDetails`): open-ended assignments carry no expiryDate. */
export function bundleDetails(bundle: BundleRecord): { code: string; effectiveDate: string; expiryDate?: string } {
  const out: { code: string; effectiveDate: string; expiryDate?: string } = { code: bundle.code, effectiveDate: bundle.effectiveDate };
  if (bundle.expiryDate !== undefined) out.expiryDate = bundle.expiryDate;
  return out;
}
