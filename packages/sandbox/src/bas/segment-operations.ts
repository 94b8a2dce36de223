import { basInvalid, basNoSegment } from '../envelopes/bas-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import { type BasState, type CardRecord, bundleDetails, bundlesForSegment, isActiveOn } from './bas-state.js';
import { checkBasBody, checkCardNumber, checkDate, checkSegmentCode, dayBefore, exactlyOne } from './bas-validation.js';
import { accessCard } from './card-access.js';

// assignSegment, replaceSegment, cancelSegment (api-facts §1.2, §1.3).

function activeSegment(card: CardRecord | undefined, code?: string) {
  return card?.segments.find((segment) => segment.expiryDate === undefined && (code === undefined || segment.code === code));
}

function addSegment(card: CardRecord, code: string, effectiveDate: string) {
  card.segments.push({ code, effectiveDate });
  const added = bundlesForSegment(code).map((bundle) => ({ code: bundle, segment: code, effectiveDate }));
  card.bundles.push(...added);
  return added;
}

function expireSegment(card: CardRecord, code: string, expiryDate: string) {
  const expired = [];
  for (const segment of card.segments) {
    if (segment.code === code && segment.expiryDate === undefined) segment.expiryDate = expiryDate;
  }
  for (const bundle of card.bundles) {
    if (bundle.segment === code && isActiveOn(bundle, expiryDate) && bundle.expiryDate === undefined) {
      bundle.expiryDate = expiryDate;
      expired.push(bundle);
    }
  }
  return expired;
}

/** POST /card-segments: assign exactly one segment to a card with no active segment. */
export function assignSegment(state: BasState, request: ServiceRequest): ServiceResponse {
  const checked = checkBasBody(request.body, {
    cardNumber: checkCardNumber,
    segments: exactlyOne({ code: checkSegmentCode, effectiveDate: checkDate }),
  });
  if (!checked.ok) return checked.error;
  const { cardNumber, segments } = checked.value;
  const { code, effectiveDate } = segments;

  const access = accessCard(state, cardNumber, request.project);
  if (!access.ok) return access.error;
  let card = access.card;
  if (card?.replacedBy !== undefined) return basInvalid('cardNumber was replaced by another card and cannot receive benefits');
  if (activeSegment(card)) return basInvalid('cardNumber already has an active segment: use replaceSegment');
  if (!card) {
    card = { owner: request.project, segments: [], bundles: [], frozen: false };
    state.cards[cardNumber] = card;
  }
  const added = addSegment(card, code, effectiveDate);
  return { status: 200, body: { bundles: added.map(bundleDetails) } };
}

/** PUT /card-segments-replacements: expire the old segment, assign the new one. */
export function replaceSegment(state: BasState, request: ServiceRequest): ServiceResponse {
  const checked = checkBasBody(request.body, {
    cardNumber: checkCardNumber,
    oldSegmentCode: checkSegmentCode,
    newSegmentCode: checkSegmentCode,
    effectiveDate: checkDate,
  });
  if (!checked.ok) return checked.error;
  const { cardNumber, oldSegmentCode: oldCode, newSegmentCode: newCode, effectiveDate } = checked.value;

  const access = accessCard(state, cardNumber, request.project);
  if (!access.ok) return access.error;
  const card = access.card;
  const current = activeSegment(card, oldCode);
  if (!card || !current) return basNoSegment(`segment ${oldCode} is not active on the card`);
  if (effectiveDate < current.effectiveDate) {
    return basInvalid('effectiveDate must not be before the effective date of the old segment');
  }
  // The old bundles end the day before the new ones start (same-day replacement ends them that day).
  const end = effectiveDate === current.effectiveDate ? effectiveDate : dayBefore(effectiveDate);
  expireSegment(card, oldCode, end);
  const added = addSegment(card, newCode, effectiveDate);
  return { status: 200, body: { bundles: added.map(bundleDetails) } };
}

/** PUT /card-segments-cancellations: expire the segment and its bundles on expiryDate. */
export function cancelSegment(state: BasState, request: ServiceRequest): ServiceResponse {
  const checked = checkBasBody(request.body, {
    cardNumber: checkCardNumber,
    segments: exactlyOne({ code: checkSegmentCode, expiryDate: checkDate }),
  });
  if (!checked.ok) return checked.error;
  const { cardNumber } = checked.value;
  const { code, expiryDate } = checked.value.segments;

  const access = accessCard(state, cardNumber, request.project);
  if (!access.ok) return access.error;
  const card = access.card;
  const current = activeSegment(card, code);
  if (!card || !current) return basNoSegment(`segment ${code} is not active on the card`);
  if (expiryDate < current.effectiveDate) {
    return basInvalid('expiryDate must be on or after the effective date of the segment');
  }
  const cancelled = expireSegment(card, code, expiryDate);
  return { status: 200, body: { bundles: cancelled.map(bundleDetails) } };
}
