import { McapiError } from '@mcapi/errors';
import { segment } from '../client/api-caller.js';
import type { RequestOptions } from '../client/request-options.js';
import { RFI_MIN_TIMEOUT_MS } from '../config/defaults.js';
import type { components } from '../generated/cross-border.js';
import { type Normalized, normalizeResponse } from '../normalize/normalize.js';
import type { CrossBorderCaller } from './cross-border-caller.js';
import { expectMember, expectObject } from './response-shape.js';

type Schemas = components['schemas'];
/** An RFI: `retrieveResponse` (what Mastercard asks for, its status) and `requestStatus.requestHistory`. */
export type RfiRequest = Normalized<Schemas['RfiRequest']>;
/** The `updateRequest` answers (the client adds the root member). */
export type RfiUpdate = Schemas['RfiUpdate'];
/** `updateResponse`: the reference and the new status (`REVIEW`). */
export type RfiUpdateResult = Normalized<Schemas['RfiUpdateResult']>;
/** A document to upload: its file name (with extension) and content (bytes, or base64 text). */
export interface RfiDocumentUpload {
  fileName: string;
  file: Uint8Array | string;
}
/** `uploadDocumentResponse`: the `documentId` to reference in an update. */
export type RfiDocumentReceipt = Normalized<Schemas['RfiDocumentReceipt']>;
/** `downloadDocumentResponse`: base64 `file`, `fileName`, `referenceId`. */
export type RfiDocument = Normalized<Schemas['RfiDocument']>;

/** Mastercard accepts documents under 1 MB (larger: 130214, api-facts §2.6.9). */
export const RFI_MAX_DOCUMENT_BYTES = 1024 * 1024;
export { RFI_MIN_TIMEOUT_MS };

/** RFI: Mastercard's compliance requests for information (payments stall until answered). */
export interface RfiApi {
  /**
   * Retrieves a request for information (`GET …/crossborder/rfi/requests/{request_id}`).
   *
   * @example
   * ```ts
   * const { retrieveResponse } = await client.crossBorder.rfi.retrieve(requestId);
   * if (retrieveResponse?.requestStatus === 'OPEN') console.log(retrieveResponse.sender);
   * ```
   */
  retrieve(requestId: string, options?: RequestOptions): Promise<RfiRequest>;
  /**
   * Answers a request (`updateRequest`); resolves with `updateResponse` (`requestStatus: 'REVIEW'`).
   *
   * @example
   * ```ts
   * await client.crossBorder.rfi.update(requestId, { sender: { fullName: 'Ada Lovelace', governmentId: { type: 'ppn', number: 'X1', documents: [documentId] } } });
   * ```
   */
  update(requestId: string, answers: RfiUpdate, options?: RequestOptions): Promise<RfiUpdateResult>;
  /**
   * Uploads a supporting document (base64 on the wire); a file of 1 MB or more is refused here
   * with `ERR_INVALID_OPTION`, before anything is sent.
   *
   * @example
   * ```ts
   * const { documentId } = await client.crossBorder.rfi.uploadDocument({ fileName: 'passport.pdf', file: await readFile('passport.pdf') });
   * ```
   */
  uploadDocument(document: RfiDocumentUpload, options?: RequestOptions): Promise<RfiDocumentReceipt>;
  /**
   * Downloads a document Mastercard attached (or one you uploaded).
   *
   * @example
   * ```ts
   * const { file, fileName } = await client.crossBorder.rfi.downloadDocument(documentId);
   * await writeFile(fileName!, Buffer.from(file!, 'base64'));
   * ```
   */
  downloadDocument(documentId: string, options?: RequestOptions): Promise<RfiDocument>;
}

/** The RFI group of `client.crossBorder`. */
export function createRfiApi(xb: CrossBorderCaller): RfiApi {
  const rfi = { minTimeoutMs: RFI_MIN_TIMEOUT_MS };
  const requestPath = (requestId: string, options: RequestOptions | undefined) =>
    `${xb.partnerPath(options, false)}/rfi/requests/${segment(requestId, 'requestId')}`;
  return {
    async retrieve(requestId, options) {
      const response = await xb.send('rfi.retrieve', 'GET', requestPath(requestId, options), undefined, options, rfi);
      return normalizeResponse(expectObject(response.json, 'rfi.retrieve')) as RfiRequest;
    },
    async update(requestId, answers, options) {
      const response = await xb.send('rfi.update', 'POST', requestPath(requestId, options), { updateRequest: answers }, options, rfi);
      return normalizeResponse(expectMember(response.json, 'updateResponse', 'rfi.update')) as RfiUpdateResult;
    },
    async uploadDocument(document, options) {
      const upload = toUpload(document);
      const path = `${xb.partnerPath(options, false)}/rfi/documents`;
      const response = await xb.send('rfi.uploadDocument', 'POST', path, { uploadDocumentRequest: upload }, options, rfi);
      return normalizeResponse(expectMember(response.json, 'uploadDocumentResponse', 'rfi.uploadDocument')) as RfiDocumentReceipt;
    },
    async downloadDocument(documentId, options) {
      const path = `${xb.partnerPath(options, false)}/rfi/documents/${segment(documentId, 'documentId')}`;
      const response = await xb.send('rfi.downloadDocument', 'GET', path, undefined, options, rfi);
      return normalizeResponse(expectMember(response.json, 'downloadDocumentResponse', 'rfi.downloadDocument')) as RfiDocument;
    },
  };
}

function toUpload(document: RfiDocumentUpload): { fileName: string; file: string } {
  const fail = (message: string): never => {
    throw new McapiError('ERR_INVALID_OPTION', `rfi.uploadDocument: ${message}`);
  };
  if (typeof document !== 'object' || document === null) fail('pass { fileName, file }.');
  const { fileName, file } = document;
  if (typeof fileName !== 'string' || fileName.trim() === '' || !/\.[A-Za-z0-9]+$/.test(fileName)) {
    fail('fileName must be a file name with its extension, e.g. "passport.pdf".');
  }
  let base64: string;
  let size: number;
  if (file instanceof Uint8Array) {
    size = file.byteLength;
    base64 = size >= RFI_MAX_DOCUMENT_BYTES ? '' : Buffer.from(file.buffer, file.byteOffset, file.byteLength).toString('base64');
  } else if (typeof file === 'string') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(file) || file.length % 4 !== 0) fail('file must be bytes (a Uint8Array or Buffer) or base64 text.');
    base64 = file;
    size = Buffer.byteLength(file, 'base64');
  } else {
    return fail('file must be bytes (a Uint8Array or Buffer) or base64 text.');
  }
  if (size >= RFI_MAX_DOCUMENT_BYTES) {
    fail(`the file is ${size} bytes; Mastercard accepts documents under 1 MB (${RFI_MAX_DOCUMENT_BYTES} bytes, error 130214). Compress or split it.`);
  }
  return { fileName, file: base64 };
}
