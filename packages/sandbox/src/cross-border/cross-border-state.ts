// In-memory Cross-Border state: quotes with their proposals and confirmation status, payments,
// and the first attempts of "fail once, succeed on identical resubmit" sandbox cases (§2.11).

/** A proposal of a quote (wire form kept as sent). */
export interface ProposalRecord {
  id: string;
  wire: Record<string, unknown>;
}

/** Confirmation or cancellation status of a quote (`QuoteStatus`, api-facts §2.6.3). */
export interface QuoteStatusRecord {
  status: 'CONFIRMED' | 'CANCELLED' | 'PENDING' | 'REJECTED';
  pendingStage?: 'Ambiguous' | 'Expired';
  statusTimestamp: string;
  errorCode?: string;
  errorMessage?: string;
}

/** A quote the sandbox gave out. */
export interface QuoteRecord {
  project: string;
  partnerId: string;
  transactionReference: string;
  paymentType: string;
  created: string;
  proposals: ProposalRecord[];
  /** The `quoterequest` as sent, so a payment with this quote can reuse its data. */
  request: Record<string, unknown>;
  /** Proposal confirmed (or being confirmed). */
  proposalId?: string;
  confirmStatus?: QuoteStatusRecord;
  cancelStatus?: QuoteStatusRecord;
  paymentSubmissionExpiryTime?: string;
  /** Late-confirmation attempts (reference pattern `42…`). */
  lateAttempts?: number;
  paymentId?: string;
}

/** A payment the sandbox accepted (wire form of the `payment` object). */
export interface PaymentRecord {
  id: string;
  project: string;
  partnerId: string;
  transactionReference: string;
  wire: Record<string, unknown>;
  /** `8…RR<code>` payments: Retrieve Payment shows RETURNED with this code. */
  returnCode?: string;
}

/** A first attempt remembered for the "identical resubmit" cases. */
export interface AttemptRecord {
  /** Hash of the request as sent. */
  digest: string;
  at: number;
}

/** One event of an RFI's `requestStatus.requestHistory` (api-facts §2.6.9). */
export interface RfiHistoryEvent {
  eventActor: string;
  eventRef: string;
  eventType: 'REQUEST_CREATED' | 'RESPONSE_SUBMITTED' | 'CHANGES_REQUESTED' | 'CLOSED' | 'CANCELLED';
  timestamp: string;
}

/** A request for information (RFI) the sandbox raised. */
export interface RfiRecord {
  requestId: string;
  project: string;
  partnerId: string;
  status: 'OPEN' | 'REVIEW' | 'INPROGRESS' | 'CLOSED' | 'CANCELLED';
  /** The `retrieveResponse` members besides the status (items asked for, transactions, …). */
  wire: Record<string, unknown>;
  history: RfiHistoryEvent[];
  /** `033…` requests: CLOSED once the clock passes this (ms since the epoch). */
  closesAt?: number;
}

/** A document uploaded for an RFI. */
export interface RfiDocumentRecord {
  project: string;
  fileName: string;
  /** base64, as uploaded. */
  file: string;
  referenceId: string;
}

/** The Cross-Border service state. */
export interface CrossBorderState {
  /** Key: `<project>|<transaction_reference>`. */
  quotes: Record<string, QuoteRecord>;
  /** Key: payment id. */
  payments: Record<string, PaymentRecord>;
  /** Key: `<project>|<transaction_reference>` → payment id. */
  paymentsByReference: Record<string, string>;
  /** Key: `<operation>|<project>|<reference>`. */
  attempts: Record<string, AttemptRecord>;
  /** Key: request id. Absent in state files written before RFIs existed. */
  rfiRequests?: Record<string, RfiRecord>;
  /** Key: document id. */
  rfiDocuments?: Record<string, RfiDocumentRecord>;
}

/** A fresh, empty state. */
export function emptyCrossBorderState(): CrossBorderState {
  return { quotes: {}, payments: {}, paymentsByReference: {}, attempts: {}, rfiRequests: {}, rfiDocuments: {} };
}

/** Forgets every quote, payment and attempt, in place. */
export function clearCrossBorderState(state: CrossBorderState): void {
  Object.assign(state, emptyCrossBorderState());
}

/** The map key of a project's reference. */
export function referenceKey(project: string, reference: string): string {
  return `${project}|${reference}`;
}
