import { basInvalid, basNoSegment } from '../envelopes/bas-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import { type BasState, bundleDetails, isActiveOn } from './bas-state.js';
import { checkCardNumber, checkDate, checkObject, dayBefore } from './bas-validation.js';
import { accessCard } from './card-access.js';

// cardReplacement and freezeUnfreeze (api-facts §1.2, §1.3).

/** POST /cards: move the unexpired benefits of oldCardNumber to a new card in the same range. */
export function replaceCard(state: BasState, request: ServiceRequest): ServiceResponse {
  const body = checkObject(request.body);
  if (!body.ok) return body.error;
  const oldPan = checkCardNumber(body.value.oldCardNumber, 'oldCardNumber');
  if (!oldPan.ok) return oldPan.error;
  const newPan = checkCardNumber(body.value.newCardNumber, 'newCardNumber');
  if (!newPan.ok) return newPan.error;
  const effectiveDate = checkDate(body.value.effectiveDate, 'effectiveDate');
  if (!effectiveDate.ok) return effectiveDate.error;

  const access = accessCard(state, oldPan.value, request.project);
  if (!access.ok) return access.error;
  const oldCard = access.card;
  if (oldCard?.replacedBy !== undefined) return basNoSegment('oldCardNumber was already replaced and cannot be a source again');
  const carried = oldCard?.bundles.filter((bundle) => isActiveOn(bundle, effectiveDate.value)) ?? [];
  if (!oldCard || carried.length === 0) return basNoSegment('oldCardNumber has no benefits to carry over');
  if (newPan.value === oldPan.value || state.cards[newPan.value]) return basInvalid('newCardNumber is already in use');
  // "in the same ICA account range" (api-facts §1.2): the sandbox compares the 6-digit BIN.
  if (newPan.value.slice(0, 6) !== oldPan.value.slice(0, 6)) {
    return basInvalid('newCardNumber is not in the account range of oldCardNumber');
  }

  const end = dayBefore(effectiveDate.value);
  const newBundles = carried.map((bundle) => ({
    code: bundle.code,
    segment: bundle.segment,
    effectiveDate: effectiveDate.value,
    ...(bundle.expiryDate !== undefined ? { expiryDate: bundle.expiryDate } : {}),
  }));
  const newSegments = oldCard.segments
    .filter((segment) => isActiveOn(segment, effectiveDate.value))
    .map((segment) => ({
      code: segment.code,
      effectiveDate: effectiveDate.value,
      ...(segment.expiryDate !== undefined ? { expiryDate: segment.expiryDate } : {}),
    }));
  for (const record of [...oldCard.bundles, ...oldCard.segments]) {
    if (isActiveOn(record, effectiveDate.value)) record.expiryDate = laterDate(end, record.effectiveDate);
  }
  oldCard.replacedBy = newPan.value;
  state.cards[newPan.value] = { owner: request.project, segments: newSegments, bundles: newBundles, frozen: false };
  return { status: 200, body: { bundles: newBundles.map(bundleDetails) } };
}

/** PUT /cards: freeze (isFrozen=true) or unfreeze a card; 204 with no body. */
export function freezeUnfreeze(state: BasState, request: ServiceRequest): ServiceResponse {
  const body = checkObject(request.body);
  if (!body.ok) return body.error;
  const pan = checkCardNumber(body.value.cardNumber, 'cardNumber');
  if (!pan.ok) return pan.error;
  const date = checkDate(body.value.date, 'date');
  if (!date.ok) return date.error;
  if (typeof body.value.isFrozen !== 'boolean') return basInvalid('isFrozen must be true or false');

  const access = accessCard(state, pan.value, request.project);
  if (!access.ok) return access.error;
  const card = access.card;
  if (!card) return basNoSegment('cardNumber has no benefits assigned');
  if (body.value.isFrozen) {
    if (card.frozen) return basInvalid('cardNumber is already frozen');
    card.frozen = true;
    card.frozenDate = date.value;
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
