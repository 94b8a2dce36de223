// RFI, account / bank / address validation, IBAN generation, endpoint guide and cash pickup
// against the real sandbox: OAuth 1.0a (or the request token), JWE both ways, real TLS.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BadRequestError, DeclinedError, McapiApiError, NotFoundError } from '../src/index.js';
import { worldPerFile } from './helpers.js';

const files = worldPerFile({}, { requestTokenEnabled: true });

const pdf = Buffer.from('%PDF-1.4\n% passport scan\n');
const crossBorderLog = () => files.world.sandbox.log().filter((entry) => entry.listener === 'crossBorder');
const codeOf = async (promise: Promise<unknown>) => {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(McapiApiError);
  return error as McapiApiError;
};

describe('RFI against the sandbox', () => {
  it('retrieves an OPEN request, uploads a document, answers with it (→ REVIEW) and downloads it, all encrypted', async () => {
    const rfi = files.world.client.crossBorder.rfi;
    const mark = crossBorderLog().length;
    const request = await rfi.retrieve('11-rfi-e2e');
    expect(request.retrieveResponse?.requestStatus).toBe('OPEN');
    expect(request.requestStatus?.requestHistory?.[0]?.eventType).toBe('REQUEST_CREATED');
    const { documentId } = await rfi.uploadDocument({ fileName: 'passport.pdf', file: pdf });
    expect(documentId).toMatch(/^[0-9a-f-]{36}$/);
    const answered = await rfi.update('11-rfi-e2e', { sender: { fullName: 'Ada Lovelace', governmentId: { type: 'ppn', number: 'X123', documents: [documentId!] } } });
    expect(answered).toEqual({ referenceId: '11-rfi-e2e', requestStatus: 'REVIEW' });
    const downloaded = await rfi.downloadDocument(documentId!);
    expect(Buffer.from(downloaded.file!, 'base64').equals(pdf)).toBe(true);
    expect(downloaded.fileName).toBe('passport.pdf');
    expect((await rfi.retrieve('11-rfi-e2e')).retrieveResponse?.requestStatus).toBe('REVIEW');
    const log = crossBorderLog().slice(mark);
    expect(log).toHaveLength(5);
    expect(log.every((entry) => entry.auth === 'oauth1' && entry.response === 'encrypted')).toBe(true);
    expect(log.filter((entry) => entry.method === 'POST').every((entry) => entry.decryption === 'encrypted')).toBe(true);
  });

  it('sees every documented RFI error as a typed error', async () => {
    const rfi = files.world.client.crossBorder.rfi;
    const declined = await codeOf(rfi.update('1rfi130105', { other: { comment: 'x' } }));
    expect(declined).toBeInstanceOf(DeclinedError);
    expect(declined.errorDetailCode).toBe('130105');
    const text = await codeOf(rfi.uploadDocument({ fileName: 'notes.txt', file: pdf }));
    expect(text).toBeInstanceOf(BadRequestError);
    expect([text.errorDetailCode, text.source]).toEqual(['062000', 'FileName']);
    const unknown = await codeOf(rfi.downloadDocument('00000000-0000-4000-8000-000000000000'));
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown.errorDetailCode).toBe('110507');
    await expect(rfi.retrieve('99-nobody')).rejects.toBeInstanceOf(NotFoundError);
    const closed = await codeOf(rfi.update('66-in-review', { other: { comment: 'late' } }));
    expect(closed.errorDetailCode).toBe('082000');
  });

  it('refuses a document of 1 MB or more before sending anything (Mastercard: 130214)', async () => {
    const mark = crossBorderLog().length;
    const big = new Uint8Array(1024 * 1024);
    await expect(files.world.client.crossBorder.rfi.uploadDocument({ fileName: 'scan.pdf', file: big })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
      message: expect.stringContaining('130214'),
    });
    await expect(files.world.client.crossBorder.rfi.uploadDocument({ fileName: 'scan.pdf', file: Buffer.from(big).toString('base64') })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
    });
    expect(crossBorderLog().length).toBe(mark);
    // Just under the limit goes through.
    const fits = new Uint8Array(1024 * 1024 - 1);
    await expect(files.world.client.crossBorder.rfi.uploadDocument({ fileName: 'scan.pdf', file: fits })).resolves.toHaveProperty('documentId');
  });

  it('works with the request token (MTS EU/UK) too', async () => {
    const signing = files.world.provisioned.keyring.active('signing', 'sandbox');
    const client = files.world.makeClient({
      requestToken: { consumerKey: files.world.provisioned.consumerKey, signingKey: signing.privateKey!, certificate: signing.certificate! },
    });
    await expect(client.crossBorder.rfi.retrieve('44-token')).resolves.toMatchObject({ retrieveResponse: { requestStatus: 'OPEN' } });
    await expect(client.crossBorder.accounts.validate({ accountUri: { type: 'IBAN', value: 'FR070331234567890123456' } })).resolves.toMatchObject({ status: 'SUCCESS' });
    expect(files.world.sandbox.log().slice(-2).map((entry) => entry.auth)).toEqual(['request-token', 'request-token']);
  });
});

describe('account validation, bank lookup, IBAN generation against the sandbox', () => {
  it('validates an IBAN and cards (CES) encrypted, and reports the documented errors typed', async () => {
    const accounts = files.world.client.crossBorder.accounts;
    await expect(accounts.validate({ accountUri: { type: 'IBAN', value: 'FR070331234567890123456' } })).resolves.toMatchObject({
      status: 'SUCCESS',
      message: 'Valid IBAN Structure',
    });
    expect(files.world.sandbox.log().at(-1)).toMatchObject({ decryption: 'encrypted', response: 'encrypted' });
    await expect(accounts.validate({ requestType: 'CES', accountUri: { type: 'PAN', value: '4000340000000515' } })).resolves.toMatchObject({
      receivingEligibility: { status: 'ELIGIBLE' },
    });
    await expect(accounts.validate({ requestType: 'CES', accountUri: { type: 'PAN', value: '2000000000000014' } })).resolves.toMatchObject({
      receivingEligibility: { status: 'INELIGIBLE' },
    });
    const empty = await codeOf(accounts.validate({ accountUri: { type: 'IBAN', value: '' } }));
    expect([empty.errorDetailCode, empty.reasonCode]).toEqual(['092000', 'MISSING_REQUIRED_INPUT']);
    const checkDigit = await codeOf(accounts.validate({ accountUri: { type: 'IBAN', value: 'FR0703312345678ER00102' } }));
    expect(checkDigit).toBeInstanceOf(BadRequestError);
    expect([checkDigit.errorDetailCode, checkDigit.reasonCode]).toEqual(['130308', 'INVALID_CHECK_DIGIT']);
  });

  it('never shows the card number in an error (message, properties, JSON, inspect) or in the log', async () => {
    const pan = '5291070000000017';
    const events: string[] = [];
    const client = files.world.makeClient({ logger: (event) => events.push(JSON.stringify(event)) });
    const error = await codeOf(client.crossBorder.accounts.validate({ requestType: 'CES', accountUri: { type: 'PAN', value: pan } }));
    expect(error.errorDetailCode).toBe('082000');
    for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 10 }), String(error.stack), ...events]) {
      expect(text).not.toContain(pan);
    }
  });

  it('refuses to send the always-encrypted APIs in plaintext', async () => {
    const plain = files.world.makeClient({ crossBorder: { partnerId: 'SANDBOX_1234567', encrypt: false } });
    const mark = crossBorderLog().length;
    for (const call of [
      () => plain.crossBorder.accounts.validate({ accountUri: { type: 'IBAN', value: 'FR070331234567890123456' } }),
      () => plain.crossBorder.accounts.generateIbans({ country: 'FRA', accountUri: { type: 'ban', value: '20041010050500013M02606' } }),
      () => plain.crossBorder.banks.lookup({ bank: { name: 'XSUC20003', country: 'CHN' } }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('always JWE-encrypted') });
    }
    expect(crossBorderLog().length).toBe(mark);
  });

  it('looks banks up by code and name; no name and no code is 130303, an unknown name 110507', async () => {
    const banks = files.world.client.crossBorder.banks;
    const found = await banks.lookup({ bank: { country: 'AUS', bic: { type: 'CHIPS', value: '0001SUC20002' } } });
    expect(found.bankInfo?.banks?.bankData?.[0]?.bics?.[0]?.value).toBe('0001SUC20002');
    await expect(banks.lookup({ bank: { country: 'GBR', name: 'BarclaysSUC20004' } })).resolves.toHaveProperty('bankInfo');
    const neither = await codeOf(banks.lookup({ bank: { country: 'AUS', bic: { type: 'CHIPS' } } }));
    expect([neither.errorDetailCode, neither.reasonCode]).toEqual(['130303', 'REQUIRED_BANK_CODE_OR_BANK_NAME']);
    await expect(banks.lookup({ bank: { country: 'GBR', name: 'NoBankER20005' } })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('generates IBANs; a bad bank identifier is 130305', async () => {
    const accounts = files.world.client.crossBorder.accounts;
    const generated = await accounts.generateIbans({ country: 'FRA', accountUri: { type: 'ban', value: '20041010050500013M02606' }, branchCode: '2004101005', accountNo: '0500013026' });
    expect(generated.ibanDetails?.accounts?.account?.[0]?.value).toMatch(/^FR\d{2}20041010050500013M02606$/);
    const bad = await codeOf(accounts.generateIbans({ country: 'ITA', branchCode: '0542811101', accountNo: '123ER00203' }));
    expect([bad.errorDetailCode, bad.reasonCode]).toEqual(['130305', 'INVALID_BANK_IDENTIFIER']);
  });
});

describe('address validation, endpoint guide and cash pickup against the sandbox', () => {
  it('validates the documented addresses (Partner-Ref-Id and X-Mc-Correlation-Id sent even with correlationIdHeader: false)', async () => {
    const client = files.world.makeClient({ correlationIdHeader: false });
    const addresses = client.crossBorder.addresses;
    await expect(addresses.validate({ country: 'USA', address: '4 CLARK STREET, EVERETT, MA, 02149' })).resolves.toMatchObject({ status: 'VALID', verification: 'VERIFIED' });
    await expect(addresses.validate({ country: 'US', address: '420 MONTGOMERY ST. SF CA' })).resolves.toMatchObject({ verification: 'PARTIALLY VERIFIED' });
    await expect(addresses.validate({ country: 'USA', address: '420 MAIN' })).resolves.toMatchObject({ status: 'INVALID', verification: 'UNVERIFIED' });
    await expect(addresses.validate({ country: 'USA', address: '7151 45TH SEATTLE WA' })).resolves.toMatchObject({ verification: 'AMBIGUOUS' });
    const other = await codeOf(addresses.validate({ country: 'GBR', address: '10 Downing St' }));
    expect(other.errorDetailCode).toBe('082000');
  });

  it('retrieves the technical and business endpoint guide; an unknown corridor is 110507', async () => {
    const guide = files.world.client.crossBorder.endpointGuide;
    const query = { paymentType: 'P2P', destinationCountry: 'IND', destinationCurrency: 'INR', destinationPaymentInstrument: 'BANK' } as const;
    const [teg] = await guide.retrieve({ ...query, specification: 'TEG' });
    expect(teg?.technical?.fields?.find((field) => field.fieldName === 'recipient_account_uri')?.mandatory).toBe('Yes');
    const [beg] = await guide.retrieve({ ...query, specification: 'BEG' });
    expect(beg).toHaveProperty('business');
    const unknown = await codeOf(guide.retrieve({ ...query, destinationCountry: 'ATA', specification: 'TEG' }));
    expect([unknown.status, unknown.errorDetailCode]).toEqual([404, '110507']);
  });

  it('lists the cash pickup catalogue, page by page and through the async iterator', async () => {
    const cash = files.world.client.crossBorder.cashPickup;
    const countries = await cash.countries({ cashPickupType: 'IN_NETWORK' });
    expect(countries.map((country) => country.countryAlpha3)).toEqual(['MEX', 'PHL']);
    const page = await cash.cities({ country: 'MEX', limit: 3 });
    expect(page).toMatchObject({ count: 3, offset: 0, total: 7 });
    const mark = crossBorderLog().length;
    const cities: string[] = [];
    for await (const city of cash.all('cities', { country: 'MEX', limit: 3 })) cities.push(city.city!);
    expect(cities).toHaveLength(7);
    expect(new Set(cities).size).toBe(7);
    // Three pages of 3, 3 and 1: one request each, none after the total is reached.
    expect(crossBorderLog().length - mark).toBe(3);
    const providers = await cash.providers({ country: 'MEX', cashPickupType: 'IN_NETWORK' });
    const branches: string[] = [];
    for await (const branch of cash.all('branches', { providerId: providers.items[0]!.providerId!, limit: 2 })) branches.push(branch.branchCode!);
    expect(branches).toHaveLength(7);
    await expect(cash.branches({ providerId: 'prv_nope' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('RFI timeout floor (api-facts §2.6.9: never before 40 s)', () => {
  it('an RFI call outlives a short client timeout that still bounds the other calls', async () => {
    const client = files.world.makeClient({ timeout: 150, maxRetries: 0 });
    const slow = (path: string) => files.world.sandbox.dashboard.addFault({ listener: 'crossBorder', path, latencyMs: 600, times: 1 });
    try {
      slow('/send/partners/SANDBOX_1234567/crossborder/accounts');
      await expect(client.crossBorder.balances.list()).rejects.toMatchObject({ code: expect.stringMatching(/TIMEOUT/) });
      slow('/send/partners/SANDBOX_1234567/crossborder/rfi/requests/44-slow');
      await expect(client.crossBorder.rfi.retrieve('44-slow')).resolves.toMatchObject({ retrieveResponse: { requestStatus: 'OPEN' } });
    } finally {
      files.world.sandbox.dashboard.clearFaults();
    }
  });
});
