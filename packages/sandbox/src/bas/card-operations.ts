import { basInvalid, basNoSegment } from '../envelopes/bas-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import { type BasState, bundleDetails, isActiveOn } from './bas-state.js';
import { checkBasBody, checkBoolean, checkCardNumber, checkDate, dayBefore } from './bas-validation.js';
import { accessCard } from './card-access.js';

// cardReplacement and freezeUnfreeze (api-facts §1.2, §1.3).

/** POST /cards: move the unexpired benefits of oldCardNumber to a new card in the same range. */
export function replaceCard(state: BasState, request: ServiceRequest): ServiceResponse {
  const checked = checkBasBody(request.body, { oldCardNumber: checkCardNumber, newCardNumber: checkCardNumber, effectiveDate: checkDate });
  if (!checked.ok) return checked.error;
  const { oldCardNumber: oldPan, newCardNumber: newPan, effectiveDate } = checked.value;

  const access = accessCard(state, oldPan, request.project);
  if (!access.ok) return access.error;
  const oldCard = access.card;
  if (oldCard?.replacedBy !== undefined) return basNoSegment('oldCardNumber was already replaced and cannot be a source again');
  const carried = oldCard?.bundles.filter((bundle) => isActiveOn(bundle, effectiveDate)) ?? [];
  if (!oldCard || carried.length === 0) return basNoSegment('oldCardNumber has no benefits to carry over');
  if (newPan === oldPan || state.cards[newPan]) return basInvalid('newCardNumber is already in use');
  // "in the same ICA account range" (api-facts §1.2): the sandbox compares the 6-digit BIN.
  if (newPan.slice(0, 6) !== oldPan.slice(0, 6)) {
    return basInvalid('newCardNumber is not in the account range of oldCardNumber');
  }

  const end = dayBefore(effectiveDate);
  const newBundles = carried.map((bundle) => ({
    code: bundle.code,
    segment: bundle.segment,
    effectiveDate: effectiveDate,
    ...(bundle.expiryDate !== undefined ? { expiryDate: bundle.expiryDate } : {}),
  }));
  const newSegments = oldCard.segments
    .filter((segment) => isActiveOn(segment, effectiveDate))
    .map((segment) => ({
      code: segment.code,
      effectiveDate: effectiveDate,
      ...(segment.expiryDate !== undefined ? { expiryDate: segment.expiryDate } : {}),
    }));
  for (const record of [...oldCard.bundles, ...oldCard.segments]) {
    if (isActiveOn(record, effectiveDate)) record.expiryDate = laterDate(end, record.effectiveDate);
  }
  oldCard.replacedBy = newPan;
  state.cards[newPan] = { owner: request.project, segments: newSegments, bundles: newBundles, frozen: false };
  return { status: 200, body: { bundles: newBundles.map(bundleDetails) } };
}

/** PUT /cards: freeze (isFrozen=true) or unfreeze a card; 204 with no body. */
export function freezeUnfreeze(state: BasState, request: ServiceRequest): ServiceResponse {
  const checked = checkBasBody(request.body, { cardNumber: checkCardNumber, date: checkDate, isFrozen: checkBoolean });
  if (!checked.ok) return checked.error;
  const { cardNumber, date, isFrozen } = checked.value;

  const access = accessCard(state, cardNumber, request.project);
  if (!access.ok) return access.error;
  const card = access.card;
  if (!card) return basNoSegment('cardNumber has no benefits assigned');
  if (isFrozen) {
    if (card.frozen) return basInvalid('cardNumber is already frozen');
    card.frozen = true;
    card.frozenDate = date;
  } else {
    // "To unfreeze, the card must currently be frozen" (api-facts §1.2).
    if (!card.frozen) return basInvalid('cardNumber is not frozen');
    card.frozen = false;
    delete card.frozenDate;
  }
  return { status: 204 };
}

// A replacement effective on the day an assignment started ends that assignment the same day.
function laterDate(first: string, second: string): string {
  return first.localeCompare(second) >= 0 ? first : second;
}
