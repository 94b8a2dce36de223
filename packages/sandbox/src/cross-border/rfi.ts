import { randomUUID } from 'node:crypto';
import { crossBorderError, isDocumentedCode } from '../envelopes/cross-border-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import type { CrossBorderState, RfiHistoryEvent, RfiRecord } from './cross-border-state.js';
import { requireObject, requireString } from './validation.js';
import { timestamp } from './wire-format.js';

// RFI (request for information) APIs, api-facts §2.6.9, with the sandbox behaviours of §2.11:
// retrieve ids starting 11/22/33/44/55 are OPEN variants, 66 REVIEW, 77 INPROGRESS with a
// rejected government id; update ids starting 011 go to REVIEW, 022 are INPROGRESS until
// updated, 033 go to REVIEW and read CLOSED ten minutes later; ids and file names starting `1`
// and ending in a documented six-digit code fail with it; uploads over 1 MB are 130214, .txt 062000.

/** Uploads must be under 1 MB (api-facts §2.6.9). */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;
const CLOSE_AFTER_MS = 10 * 60_000;
const ACCEPTED_EXTENSIONS = new Set(['pdf', 'jpg', 'jpeg', 'png', 'gif', 'tif', 'tiff', 'bmp', 'doc', 'docx']);

const rfis = (state: CrossBorderState) => (state.rfiRequests ??= {});
const documents = (state: CrossBorderState) => (state.rfiDocuments ??= {});

/** `1…<code>`: the documented code an id or file name asks for, if any. */
function requestedError(value: string): string | undefined {
  const match = /^1.*?(\d{6})$/.exec(value);
  return match && isDocumentedCode(match[1]!) ? match[1] : undefined;
}

const item = (label: string, kind: 'text' | 'multi_file' | 'address' | 'string', extra: Record<string, unknown> = {}) => ({
  request: { label, kind },
  ...extra,
});

/** The items each sandbox variant asks for (keyed by the id's two-digit prefix). */
function variantWire(prefix: string, requestId: string, now: number, documentId: () => string): Record<string, unknown> {
  const transaction = (n: number) => ({
    transactionReference: `RFI${requestId.slice(0, 8)}${n}`,
    senderUri: 'tel:+254108989',
    recipientUri: 'ewallet:paypal_user011',
    paymentDateTime: timestamp(now - 86_400_000 * n),
  });
  const base: Record<string, unknown> = {
    requestId,
    creator: 'Mastercard Compliance',
    assignee: 'partner',
    requestCreateDate: timestamp(now),
    lastUpdatedDate: timestamp(now),
    requestInstruction: 'Please provide the requested information within 15 calendar days.',
    responseType: 'NoResponse',
    transactions: [transaction(1)],
  };
  switch (prefix) {
    case '22':
      return { ...base, transactions: [transaction(1), transaction(2), transaction(3)], paymentAndDocs: { paymentPurpose: item('Purpose of payment', 'text') } };
    case '33':
      return { ...base, other: { requestDocuments: [documentId()], comments: [{ creator: 'Mastercard Compliance', text: 'See the attached form.', timestamp: timestamp(now) }] } };
    case '44':
      return {
        ...base,
        sender: {
          fullAddress: item('Full address of the sender', 'address'),
          governmentId: item('Government id of the sender', 'multi_file'),
          dateOfBirth: item('Date of birth of the sender', 'string'),
        },
      };
    case '55':
      return { ...base, recipient: { governmentId: item('Government id of the recipient', 'multi_file'), additionalDocuments: item('Supporting documents', 'multi_file') } };
    case '77':
      return {
        ...base,
        responseType: 'PartialResponse',
        sender: { governmentId: item('Government id of the sender', 'multi_file', { review: { status: 'Rejected' }, response: { value: 'ppn:123456789' } }) },
      };
    default:
      return { ...base, sender: { fullName: item('Full name of the sender', 'text'), sourceOfIncome: item('Source of income', 'text') } };
  }
}

function event(type: RfiHistoryEvent['eventType'], actor: string, now: number): RfiHistoryEvent {
  return { eventActor: actor, eventRef: randomUUID(), eventType: type, timestamp: timestamp(now) };
}

/** The RFI for an id: known, or raised now from the sandbox patterns; undefined for any other id. */
function findOrRaise(state: CrossBorderState, request: ServiceRequest, requestId: string): RfiRecord | undefined {
  const known = rfis(state)[requestId];
  if (known) return known.project === request.project ? known : undefined;
  const prefix = /^0?([1-7])\1/.exec(requestId)?.[0];
  if (prefix === undefined || (prefix.length === 3 && !['011', '022', '033'].includes(prefix))) return undefined;
  const two = prefix.slice(-2);
  const status: RfiRecord['status'] = prefix === '022' || two === '77' ? 'INPROGRESS' : two === '66' ? 'REVIEW' : 'OPEN';
  const record: RfiRecord = {
    requestId,
    project: request.project,
    partnerId: request.params.partnerId ?? '',
    status,
    wire: variantWire(two, requestId, request.now, () => seedDocument(state, request.project, requestId)),
    history: [event('REQUEST_CREATED', 'Mastercard Compliance', request.now)],
  };
  if (status === 'INPROGRESS') record.history.push(event('CHANGES_REQUESTED', 'Mastercard Compliance', request.now));
  rfis(state)[requestId] = record;
  notifyRfi(request, record, 'CREATED');
  return record;
}

function seedDocument(state: CrossBorderState, project: string, requestId: string): string {
  const documentId = randomUUID();
  // A one-page PDF header is enough for a sample attachment.
  documents(state)[documentId] = { project, fileName: 'rfi-form.pdf', file: Buffer.from('%PDF-1.4\n% sandbox RFI form\n').toString('base64'), referenceId: requestId };
  return documentId;
}

/** The `retrieveResponse` + `requestStatus` body (also the `notification` of an RFI push). */
export function rfiBody(record: RfiRecord): { retrieveResponse: Record<string, unknown>; requestStatus: Record<string, unknown> } {
  const retrieveResponse: Record<string, unknown> = { ...record.wire, requestStatus: record.status };
  if (record.status === 'CLOSED') retrieveResponse.closureDate = record.history.at(-1)?.timestamp;
  return { retrieveResponse, requestStatus: { requestHistory: record.history } };
}

function notifyRfi(request: ServiceRequest, record: RfiRecord, eventType: 'CREATED' | 'STATUS_CHG') {
  const { retrieveResponse } = rfiBody(record);
  request.notify?.({
    project: record.project,
    body: {
      partnerId: record.partnerId,
      transactionType: 'RFI',
      eventRef: randomUUID(),
      eventType,
      notification: retrieveResponse,
      requestStatus: record.status,
    },
  });
}

/** Applies the `033…` ten-minute close (§2.11) as of `now`. */
function settle(request: ServiceRequest, record: RfiRecord): void {
  if (record.closesAt !== undefined && request.now >= record.closesAt && record.status === 'REVIEW') {
    record.status = 'CLOSED';
    delete record.closesAt;
    record.history.push(event('CLOSED', 'Mastercard Compliance', request.now));
    notifyRfi(request, record, 'STATUS_CHG');
  }
}

/** GET /send/partners/{partner-id}/crossborder/rfi/requests/{request_id} */
export function retrieveRfi(state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const requestId = request.params.requestId ?? '';
  const record = findOrRaise(state, request, requestId);
  if (!record) return crossBorderError('110507', 'request_id', { method: 'GET' });
  settle(request, record);
  return { status: 200, body: rfiBody(record) };
}

/** POST /send/partners/{partner-id}/crossborder/rfi/requests/{request_id} (`updateRequest`). */
export function updateRfi(state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const requestId = request.params.requestId ?? '';
  const code = requestedError(requestId);
  if (code !== undefined) return crossBorderError(code, 'request_id');
  const update = requireObject((request.body as Record<string, unknown> | undefined)?.updateRequest, 'updateRequest');
  if (!update.ok) return update.error;
  const record = findOrRaise(state, request, requestId);
  if (!record) return crossBorderError('110507', 'request_id');
  settle(request, record);
  // The partner acts only while the request is OPEN or INPROGRESS (§2.6.9).
  if (record.status !== 'OPEN' && record.status !== 'INPROGRESS') {
    return crossBorderError('082000', 'request_id', { description: `The request is ${record.status}, not open for a response` });
  }
  for (const id of referencedDocuments(update.value)) {
    if (documents(state)[id]?.project !== request.project) return crossBorderError('110507', 'document_id');
  }
  record.status = 'REVIEW';
  record.wire = { ...record.wire, responseType: 'PartialResponse', lastUpdatedDate: timestamp(request.now), response: update.value };
  if (!record.wire.firstResponseDate) record.wire.firstResponseDate = timestamp(request.now);
  record.history.push(event('RESPONSE_SUBMITTED', 'partner', request.now));
  if (requestId.startsWith('033')) record.closesAt = request.now + CLOSE_AFTER_MS;
  notifyRfi(request, record, 'STATUS_CHG');
  return { status: 200, body: { updateResponse: { referenceId: requestId, requestStatus: record.status } } };
}

// Every `documents` / `supportingDocs` / `additionalDocuments` list in an update.
function referencedDocuments(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const entry of value) referencedDocuments(entry, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, entry] of Object.entries(value)) {
      if (/documents$|Docs$/i.test(key) && Array.isArray(entry)) into.push(...entry.filter((id): id is string => typeof id === 'string'));
      else referencedDocuments(entry, into);
    }
  }
  return into;
}

/** POST /send/partners/{partner-id}/crossborder/rfi/documents (`uploadDocumentRequest`). */
export function uploadRfiDocument(state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const upload = requireObject((request.body as Record<string, unknown> | undefined)?.uploadDocumentRequest, 'uploadDocumentRequest');
  if (!upload.ok) return upload.error;
  const fileName = requireString(upload.value.fileName, 'FileName');
  if (!fileName.ok) return fileName.error;
  const file = requireString(upload.value.file, 'File');
  if (!file.ok) return file.error;
  const stem = fileName.value.replace(/\.[^.]*$/, '');
  const code = requestedError(stem);
  if (code !== undefined) return crossBorderError(code, 'FileName');
  const extension = /\.([^.]+)$/.exec(fileName.value)?.[1]?.toLowerCase();
  if (extension === undefined || !ACCEPTED_EXTENSIONS.has(extension)) {
    return crossBorderError('062000', 'FileName', { description: 'Unsupported file type' });
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(file.value) || file.value.length % 4 !== 0) {
    return crossBorderError('062000', 'File', { description: 'The file is not base64' });
  }
  if (Buffer.byteLength(file.value, 'base64') >= MAX_DOCUMENT_BYTES) return crossBorderError('130214', 'File');
  const documentId = randomUUID();
  const referenceId = randomUUID();
  documents(state)[documentId] = { project: request.project, fileName: fileName.value, file: file.value, referenceId };
  return { status: 200, body: { uploadDocumentResponse: { documentId, referenceId } } };
}

/** GET /send/partners/{partner-id}/crossborder/rfi/documents/{document_id} */
export function downloadRfiDocument(state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const documentId = request.params.documentId ?? '';
  const code = requestedError(documentId);
  if (code !== undefined) return crossBorderError(code, 'document_id', { method: 'GET' });
  const document = documents(state)[documentId];
  if (!document || document.project !== request.project) return crossBorderError('110507', 'document_id', { method: 'GET' });
  return { status: 200, body: { downloadDocumentResponse: { file: document.file, fileName: document.fileName, referenceId: document.referenceId } } };
}
