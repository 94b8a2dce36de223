import { basInvalid, basNoSegment } from '../envelopes/bas-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import { type BasState, type CardRecord, bundleDetails, bundlesForSegment, isActiveOn } from './bas-state.js';
import { checkCardNumber, checkDate, checkObject, checkSegmentCode, checkSingleElement, dayBefore } from './bas-validation.js';
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
  const body = checkObject(request.body);
  if (!body.ok) return body.error;
  const pan = checkCardNumber(body.value.cardNumber, 'cardNumber');
  if (!pan.ok) return pan.error;
  const segment = checkSingleElement(body.value.segments, 'segments');
  if (!segment.ok) return segment.error;
  const code = checkSegmentCode(segment.value.code, 'segments[0].code');
  if (!code.ok) return code.error;
  const effectiveDate = checkDate(segment.value.effectiveDate, 'segments[0].effectiveDate');
  if (!effectiveDate.ok) return effectiveDate.error;

  const access = accessCard(state, pan.value, request.project);
  if (!access.ok) return access.error;
  let card = access.card;
  if (card?.replacedBy !== undefined) return basInvalid('cardNumber was replaced by another card and cannot receive benefits');
  if (activeSegment(card)) return basInvalid('cardNumber already has an active segment: use replaceSegment');
  if (!card) {
    card = { owner: request.project, segments: [], bundles: [], frozen: false };
    state.cards[pan.value] = card;
  }
  const added = addSegment(card, code.value, effectiveDate.value);
  return { status: 200, body: { bundles: added.map(bundleDetails) } };
}

/** PUT /card-segments-replacements: expire the old segment, assign the new one. */
export function replaceSegment(state: BasState, request: ServiceRequest): ServiceResponse {
  const body = checkObject(request.body);
  if (!body.ok) return body.error;
  const pan = checkCardNumber(body.value.cardNumber, 'cardNumber');
  if (!pan.ok) return pan.error;
  const oldCode = checkSegmentCode(body.value.oldSegmentCode, 'oldSegmentCode');
  if (!oldCode.ok) return oldCode.error;
  const newCode = checkSegmentCode(body.value.newSegmentCode, 'newSegmentCode');
  if (!newCode.ok) return newCode.error;
  const effectiveDate = checkDate(body.value.effectiveDate, 'effectiveDate');
  if (!effectiveDate.ok) return effectiveDate.error;

  const access = accessCard(state, pan.value, request.project);
  if (!access.ok) return access.error;
  const card = access.card;
  const current = activeSegment(card, oldCode.value);
  if (!card || !current) return basNoSegment(`segment ${oldCode.value} is not active on the card`);
  if (effectiveDate.value < current.effectiveDate) {
    return basInvalid('effectiveDate must not be before the effective date of the old segment');
  }
  // The old bundles end the day before the new ones start (same-day replacement ends them that day).
  const end = effectiveDate.value === current.effectiveDate ? effectiveDate.value : dayBefore(effectiveDate.value);
  expireSegment(card, oldCode.value, end);
  const added = addSegment(card, newCode.value, effectiveDate.value);
  return { status: 200, body: { bundles: added.map(bundleDetails) } };
}

/** PUT /card-segments-cancellations: expire the segment and its bundles on expiryDate. */
export function cancelSegment(state: BasState, request: ServiceRequest): ServiceResponse {
  const body = checkObject(request.body);
  if (!body.ok) return body.error;
  const pan = checkCardNumber(body.value.cardNumber, 'cardNumber');
  if (!pan.ok) return pan.error;
  const segment = checkSingleElement(body.value.segments, 'segments');
  if (!segment.ok) return segment.error;
  const code = checkSegmentCode(segment.value.code, 'segments[0].code');
  if (!code.ok) return code.error;
  const expiryDate = checkDate(segment.value.expiryDate, 'segments[0].expiryDate');
  if (!expiryDate.ok) return expiryDate.error;

  const access = accessCard(state, pan.value, request.project);
  if (!access.ok) return access.error;
  const card = access.card;
  const current = activeSegment(card, code.value);
  if (!card || !current) return basNoSegment(`segment ${code.value} is not active on the card`);
  if (expiryDate.value < current.effectiveDate) {
    return basInvalid('expiryDate must be on or after the effective date of the segment');
  }
  const cancelled = expireSegment(card, code.value, expiryDate.value);
  return { status: 200, body: { bundles: cancelled.map(bundleDetails) } };
}
