import { type BasErrorResponse, basPermissionDenied } from '../envelopes/bas-error.js';
import type { BasState, CardRecord } from './bas-state.js';

/**
 * The card if the caller may use it. A card belongs to the first project that used it; any other
 * project gets PERMISSION_DENIED ("cardNumber not mapped to requester", api-facts §1.5).
 */
export function accessCard(
  state: BasState,
  pan: string,
  project: string,
): { ok: true; card: CardRecord | undefined } | { ok: false; error: BasErrorResponse } {
  const card = state.cards[pan];
  if (card && card.owner !== project) return { ok: false, error: basPermissionDenied() };
  return { ok: true, card };
}
