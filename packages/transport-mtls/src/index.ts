export { createMtlsTransport } from './create-mtls-transport.js';
export { timingChannelName } from './report-timing.js';
export type {
  CaSource,
  MaterialSource,
  MtlsCredentials,
  MtlsTransport,
  MtlsTransportOptions,
  PemCredentials,
  Pkcs12Credentials,
  RequestTiming,
  TransportRequest,
  TransportResponse,
  TransportWarningHandler,
} from './types.js';
