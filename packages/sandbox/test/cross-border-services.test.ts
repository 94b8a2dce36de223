import { describe, expect, it } from 'vitest';
import { emptyCrossBorderState } from '../src/cross-border/cross-border-state.js';
import { findCrossBorderOperation, maxBodyBytes, requiresEncryptedBody } from '../src/cross-border/cross-border-routes.js';
import type { ServiceNotification, ServiceResponse } from '../src/service-types.js';
import { firstEnvelopeError } from './helpers.js';

// RFI, account validation, bank lookup, IBAN generation, address validation, endpoint guide and
// cash pickup (api-facts §2.6.8–2.6.13) with the sandbox behaviours of §2.11, through the routing
// the gateway uses. The HTTP, OAuth and JWE layers are covered by the client's integration tests.

const partner = 'SANDBOX_1234567';
const xb = `/send/partners/${partner}/crossborder`;
const partnerHeaders = { 'partner-ref-id': partner, 'x-mc-correlation-id': 'corr-1', 'partner-id': partner };

function sandboxState() {
  const state = emptyCrossBorderState();
  const notifications: ServiceNotification[] = [];
  let clock = Date.UTC(2026, 0, 1);
  const call = (method: string, pathAndQuery: string, body?: unknown, headers: Record<string, string> = partnerHeaders): ServiceResponse => {
    const url = new URL(pathAndQuery, 'https://sandbox.test');
    const route = findCrossBorderOperation(state, method, url.pathname);
    if (!('handler' in route)) return route;
    return route.handler({
      method,
      path: route.path,
      params: route.params,
      query: url.searchParams,
      body,
      project: 'p',
      now: clock,
      headers,
      notify: (notification) => notifications.push(notification),
    });
  };
  return { state, call, notifications, advance: (ms: number) => (clock += ms) };
}

const detailCode = (response: ServiceResponse) => firstEnvelopeError(response.body).Details?.Detail[0]?.Value;
const source = (response: ServiceResponse) => firstEnvelopeError(response.body).Source;
const pdf = Buffer.from('%PDF-1.4 sandbox').toString('base64');

describe('RFI (§2.6.9, §2.11)', () => {
  it.each([
    ['11', 'OPEN'],
    ['22', 'OPEN'],
    ['33', 'OPEN'],
    ['44', 'OPEN'],
    ['55', 'OPEN'],
    ['66', 'REVIEW'],
    ['77', 'INPROGRESS'],
    ['022', 'INPROGRESS'],
  ])('retrieve %s… is %s', (prefix, status) => {
    const { call } = sandboxState();
    const response = call('GET', `${xb}/rfi/requests/${prefix}aa-bbbb`);
    expect(response.status).toBe(200);
    const body = response.body as { retrieveResponse: Record<string, unknown>; requestStatus: { requestHistory: unknown[] } };
    expect(body.retrieveResponse.requestStatus).toBe(status);
    expect(body.requestStatus.requestHistory[0]).toMatchObject({ eventType: 'REQUEST_CREATED' });
  });

  it('22… has three payments, 33… an attached document that downloads, 77… a rejected government id', () => {
    const { call } = sandboxState();
    const three = (call('GET', `${xb}/rfi/requests/22-x`).body as { retrieveResponse: { transactions: unknown[] } }).retrieveResponse;
    expect(three.transactions).toHaveLength(3);
    const attached = (call('GET', `${xb}/rfi/requests/33-x`).body as { retrieveResponse: { other: { requestDocuments: string[] } } }).retrieveResponse;
    const download = call('GET', `${xb}/rfi/documents/${attached.other.requestDocuments[0]}`);
    expect(download.body).toMatchObject({ downloadDocumentResponse: { fileName: 'rfi-form.pdf', referenceId: '33-x' } });
    const rejected = call('GET', `${xb}/rfi/requests/77-x`).body as { retrieveResponse: { sender: { governmentId: { review: { status: string } } } } };
    expect(rejected.retrieveResponse.sender.governmentId.review.status).toBe('Rejected');
  });

  it('unknown request ids are 110507 (404) with Source request_id', () => {
    const response = sandboxState().call('GET', `${xb}/rfi/requests/99-unknown`);
    expect(response.status).toBe(404);
    expect(detailCode(response)).toBe('110507');
    expect(source(response)).toBe('request_id');
  });

  it('update: 011… → REVIEW; 022… INPROGRESS → REVIEW; 033… REVIEW then CLOSED ten minutes later', () => {
    const { call, advance, notifications } = sandboxState();
    const answer = { updateRequest: { sender: { fullName: 'Ada Lovelace' } } };
    expect(call('POST', `${xb}/rfi/requests/011-a`, answer).body).toEqual({ updateResponse: { referenceId: '011-a', requestStatus: 'REVIEW' } });
    expect(call('POST', `${xb}/rfi/requests/022-a`, answer).body).toMatchObject({ updateResponse: { requestStatus: 'REVIEW' } });
    call('POST', `${xb}/rfi/requests/033-a`, answer);
    const status = () => (call('GET', `${xb}/rfi/requests/033-a`).body as { retrieveResponse: { requestStatus: string } }).retrieveResponse.requestStatus;
    expect(status()).toBe('REVIEW');
    advance(10 * 60_000);
    expect(status()).toBe('CLOSED');
    // A closed request takes no more answers.
    expect(detailCode(call('POST', `${xb}/rfi/requests/033-a`, answer))).toBe('082000');
    // Each change raised an RFI push (api-facts §2.6.9 P3).
    const closed = notifications.at(-1)!.body;
    expect(closed).toMatchObject({ transactionType: 'RFI', eventType: 'STATUS_CHG', requestStatus: 'CLOSED', partnerId: partner });
    expect(closed.notification).toMatchObject({ requestId: '033-a', requestStatus: 'CLOSED' });
  });

  it('update of 1…<code> fails with that code; a missing updateRequest is 092000', () => {
    const { call } = sandboxState();
    const failed = call('POST', `${xb}/rfi/requests/1abc130105`, { updateRequest: {} });
    expect(detailCode(failed)).toBe('130105');
    expect(detailCode(call('POST', `${xb}/rfi/requests/011-b`, {}))).toBe('092000');
  });

  it('upload: stores and downloads; ≥ 1 MB is 130214; .txt is 062000; 1…<code> fails with that code; missing file is 092000', () => {
    const { call } = sandboxState();
    const uploaded = call('POST', `${xb}/rfi/documents`, { uploadDocumentRequest: { fileName: 'passport.pdf', file: pdf } });
    const { documentId } = (uploaded.body as { uploadDocumentResponse: { documentId: string } }).uploadDocumentResponse;
    expect(documentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(call('GET', `${xb}/rfi/documents/${documentId}`).body).toMatchObject({ downloadDocumentResponse: { file: pdf, fileName: 'passport.pdf' } });
    const big = Buffer.alloc(1024 * 1024).toString('base64');
    const tooLarge = call('POST', `${xb}/rfi/documents`, { uploadDocumentRequest: { fileName: 'scan.pdf', file: big } });
    expect(detailCode(tooLarge)).toBe('130214');
    expect(tooLarge.status).toBe(400);
    const text = call('POST', `${xb}/rfi/documents`, { uploadDocumentRequest: { fileName: 'notes.txt', file: pdf } });
    expect([detailCode(text), source(text)]).toEqual(['062000', 'FileName']);
    expect(detailCode(call('POST', `${xb}/rfi/documents`, { uploadDocumentRequest: { fileName: '1doc082000.pdf', file: pdf } }))).toBe('082000');
    expect(detailCode(call('POST', `${xb}/rfi/documents`, { uploadDocumentRequest: { fileName: 'a.pdf' } }))).toBe('092000');
  });

  it('download of an unknown document is 110507; 1…<code> fails with that code', () => {
    const { call } = sandboxState();
    expect(detailCode(call('GET', `${xb}/rfi/documents/00000000-0000-4000-8000-000000000000`))).toBe('110507');
    expect(detailCode(call('GET', `${xb}/rfi/documents/1doc150001`))).toBe('150001');
  });

  it('an update that cites an unknown document id is 110507', () => {
    const { call } = sandboxState();
    const answer = { updateRequest: { sender: { governmentId: { type: 'ppn', number: 'X1', documents: ['nope'] } } } };
    expect(detailCode(call('POST', `${xb}/rfi/requests/011-c`, answer))).toBe('110507');
  });

  it('the upload route reads bodies large enough for a 1 MB document, others keep the default', () => {
    expect(maxBodyBytes('POST', `${xb}/rfi/documents`, 1024 * 1024)).toBeGreaterThan(3 * 1024 * 1024);
    expect(maxBodyBytes('POST', `${xb}/banks/details`, 1024 * 1024)).toBe(1024 * 1024);
  });
});

describe('account validation, bank lookup, IBAN generation (§2.6.8, §2.11)', () => {
  const validate = (call: ReturnType<typeof sandboxState>['call'], accountUri: unknown, requestType?: string) =>
    call('POST', `${xb}/accounts/validations`, { ...(requestType && { requestType }), accountUri });

  it('are always encrypted (the gateway refuses plaintext bodies on them)', () => {
    expect(requiresEncryptedBody('POST', `${xb}/accounts/validations`)).toBe(true);
    expect(requiresEncryptedBody('POST', `${xb}/accounts/generate-ibans`)).toBe(true);
    expect(requiresEncryptedBody('POST', `${xb}/banks/details`)).toBe(true);
    expect(requiresEncryptedBody('GET', `${xb}/rfi/requests/11`)).toBe(false);
  });

  it('IBAN FR070331234567890123456 is valid; …ER00102 a check-digit error (130308); …ER00113 unsupported', () => {
    const { call } = sandboxState();
    expect(validate(call, { type: 'IBAN', value: 'FR070331234567890123456' }).body).toMatchObject({ status: 'SUCCESS', message: 'Valid IBAN Structure' });
    const check = validate(call, { type: 'IBAN', value: 'FR0703312345678ER00102' });
    expect([check.status, detailCode(check), firstEnvelopeError(check.body).ReasonCode]).toEqual([400, '130308', 'INVALID_CHECK_DIGIT']);
    expect(detailCode(validate(call, { type: 'IBAN', value: 'FR0703312345678ER00113' }))).toBe('082000');
  });

  it('CES: 4000340000000515 eligible, 2000000000000014 not; an empty value is 092000; the PAN never appears in an error', () => {
    const { call } = sandboxState();
    expect(validate(call, { type: 'PAN', value: '4000340000000515' }, 'CES').body).toMatchObject({ receivingEligibility: { status: 'ELIGIBLE' } });
    expect(validate(call, { type: 'PAN', value: '2000000000000014' }, 'CES').body).toMatchObject({
      receivingEligibility: { status: 'INELIGIBLE', crossBorder: { eligible: 'N' } },
    });
    expect(detailCode(validate(call, { type: 'PAN', value: '' }, 'CES'))).toBe('092000');
    const bad = validate(call, { type: 'PAN', value: '4000340000000516' }, 'CES');
    expect(detailCode(bad)).toBe('082000');
    expect(JSON.stringify(bad.body)).not.toContain('4000340000000516');
  });

  it('validation and IBAN generation need Partner-Ref-Id; bank lookup also X-Mc-Correlation-Id', () => {
    const { call } = sandboxState();
    const missing = call('POST', `${xb}/accounts/validations`, { accountUri: { type: 'IBAN', value: 'FR070331234567890123456' } }, {});
    expect([detailCode(missing), source(missing)]).toEqual(['092000', 'Partner-Ref-Id']);
    const noCorrelation = call('POST', `${xb}/banks/details`, { bank: { name: 'XSUC20003' } }, { 'partner-ref-id': partner });
    expect(source(noCorrelation)).toBe('X-Mc-Correlation-Id');
  });

  it('bank lookup: SUC20002 / SUC20003 / SUC20004 found, ER20005 is 110507, no name and no code is 130303', () => {
    const { call } = sandboxState();
    const lookup = (bank: unknown) => call('POST', `${xb}/banks/details`, { bank });
    expect(lookup({ country: 'AUS', bic: { type: 'CHIPS', value: '0001SUC20002' } }).body).toMatchObject({ bankInfo: { total: '1' } });
    expect(lookup({ country: 'CHN', name: '中国银行SUC20003' }).status).toBe(200);
    expect(lookup({ country: 'GBR', name: 'BarclSUC20004' }).status).toBe(200);
    expect(detailCode(lookup({ country: 'GBR', name: 'NoBankER20005' }))).toBe('110507');
    const neither = lookup({ country: 'AUS', bic: { type: 'CHIPS' } });
    expect([neither.status, detailCode(neither), firstEnvelopeError(neither.body).ReasonCode]).toEqual([400, '130303', 'REQUIRED_BANK_CODE_OR_BANK_NAME']);
  });

  it('IBAN generation: BAN + country and branch + account + country give a checked IBAN; ER00216 / ER00203 fail', async () => {
    const { ibanChecksumValid } = await import('../src/cross-border/account-validation.js');
    const { call } = sandboxState();
    const generate = (body: unknown) => call('POST', `${xb}/accounts/generate-ibans`, body);
    const documented = generate({ accountUri: { type: 'ban', value: '20041010050500013M02606' }, country: 'FRA', branchCode: '2004101005', accountNo: '0500013026' });
    const iban = (documented.body as { ibanDetails: { accounts: { account: Array<{ type: string; value: string }> } } }).ibanDetails.accounts.account[0]!;
    expect(iban.type).toBe('IBAN');
    expect(iban.value).toMatch(/^FR\d{2}20041010050500013M02606$/);
    expect(ibanChecksumValid(iban.value)).toBe(true);
    expect(generate({ branchCode: '0542811101', accountNo: '000000123456', country: 'ITA' }).status).toBe(200);
    expect(detailCode(generate({ accountNo: '123ER00216', branchCode: '1', country: 'ITA' }))).toBe('082000');
    expect(detailCode(generate({ accountNo: '123ER00203', branchCode: '1', country: 'ITA' }))).toBe('130305');
    expect(detailCode(generate({ accountUri: { type: 'ban', value: '123456789012' } }))).toBe('092000');
  });
});

describe('address validation (§2.6.10, §2.11)', () => {
  const path = '/send/address-validation-service/addresses/validations';
  it.each([
    ['4 CLARK STREET, EVERETT, MA, 02149', 'US', 'VALID', 'VERIFIED'],
    ['420 MONTGOMERY ST. SF CA', 'USA', 'VALID', 'PARTIALLY VERIFIED'],
    ['420 MAIN', 'USA', 'INVALID', 'UNVERIFIED'],
    ['7151 45TH SEATTLE WA', 'US', 'INVALID', 'AMBIGUOUS'],
  ])('%s → %s / %s', (address, country, status, verification) => {
    expect(sandboxState().call('POST', path, { country, address }).body).toMatchObject({ status, verification });
  });

  it('other countries are 082000; a missing address is 092000; the headers are required', () => {
    const { call } = sandboxState();
    expect(detailCode(call('POST', path, { country: 'GBR', address: '1 Main St' }))).toBe('082000');
    expect(detailCode(call('POST', path, { country: 'USA' }))).toBe('092000');
    expect(source(call('POST', path, { country: 'USA', address: '420 MAIN' }, { 'partner-ref-id': partner }))).toBe('X-Mc-Correlation-Id');
  });
});

describe('endpoint guide (§2.6.11)', () => {
  const query = 'payment_type=P2P&destination_country=IND&destination_currency=INR&destination_payment_instrument=BANK';
  const path = `/crossborder/endpoint-guide/specifications?${query}`;
  it('TEG gives technical fields with mandatory flags and patterns, BEG business rules', () => {
    const { call } = sandboxState();
    const teg = call('GET', path, undefined, { ...partnerHeaders, 'specification-type': 'TEG' }).body as Array<{ technical: { fields: Array<{ fieldName: string; mandatory: string }> } }>;
    expect(teg[0]!.technical.fields).toContainEqual(expect.objectContaining({ fieldName: 'recipient_account_uri', mandatory: 'Yes' }));
    const beg = call('GET', path, undefined, { ...partnerHeaders, 'specification-type': 'BEG' }).body as Array<Record<string, unknown>>;
    expect(beg[0]).toHaveProperty('business');
    expect(beg[0]).not.toHaveProperty('technical');
  });

  it('missing Specification-Type or a query parameter is 092000, a bad one 082000, an unknown corridor 110507', () => {
    const { call } = sandboxState();
    expect(source(call('GET', path))).toBe('Specification-Type');
    expect(detailCode(call('GET', path, undefined, { ...partnerHeaders, 'specification-type': 'XYZ' }))).toBe('082000');
    expect(source(call('GET', '/crossborder/endpoint-guide/specifications?payment_type=P2P', undefined, { ...partnerHeaders, 'specification-type': 'TEG' }))).toBe(
      'destination_country',
    );
    const unknown = call('GET', path.replace('IND', 'ATA'), undefined, { ...partnerHeaders, 'specification-type': 'TEG' });
    expect([unknown.status, detailCode(unknown)]).toEqual([404, '110507']);
  });
});

describe('cash pickup (§2.6.13)', () => {
  it('lists countries by type, pages cities, providers and branches', () => {
    const { call } = sandboxState();
    const countries = call('GET', '/crossborder/cash-pickup/countries?cash_pickup_type=DIRECT').body as Array<{ items: Array<{ countryAlpha3: string }> }>;
    expect(countries[0]!.items.map((item) => item.countryAlpha3)).toEqual(['IND', 'NPL']);
    const first = call('GET', '/crossborder/cash-pickup/cities?country=MEX&limit=3').body;
    expect(first).toMatchObject({ count: 3, offset: 0, limit: 3, total: 7 });
    const last = call('GET', '/crossborder/cash-pickup/cities?country=MEX&limit=3&offset=6').body;
    expect(last).toMatchObject({ count: 1, offset: 6, total: 7 });
    const providers = call('GET', '/crossborder/cash-pickup/providers?country=MEX&cash_pickup_type=IN_NETWORK').body as { items: Array<{ providerCode: string }> };
    expect(providers.items.map((item) => item.providerCode)).toEqual(['MXCASH1', 'MXCASH2']);
    const branches = call('GET', '/crossborder/cash-pickup/branches?provider_id=prv_1001&limit=2').body;
    expect(branches).toMatchObject({ count: 2, total: 7 });
  });

  it('needs the partner-id header and valid paging; an unknown provider is 110507', () => {
    const { call } = sandboxState();
    expect(source(call('GET', '/crossborder/cash-pickup/countries', undefined, {}))).toBe('partner-id');
    expect(detailCode(call('GET', '/crossborder/cash-pickup/cities?country=MEX&limit=0'))).toBe('082000');
    expect(detailCode(call('GET', '/crossborder/cash-pickup/cities?country=MEX&offset=-1'))).toBe('082000');
    expect(detailCode(call('GET', '/crossborder/cash-pickup/cities'))).toBe('092000');
    expect(detailCode(call('GET', '/crossborder/cash-pickup/branches?provider_id=prv_nope'))).toBe('110507');
    expect(detailCode(call('GET', '/crossborder/cash-pickup/providers?country=MEX&cash_pickup_type=ATM'))).toBe('082000');
  });
});
