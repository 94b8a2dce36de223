export { createHttpsAgent, type HttpsAgentOptions } from './create-https-agent.js';
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
  ProxyOption,
  RequestTiming,
  TransportRequest,
  TransportResponse,
  TransportWarningHandler,
} from './types.js';
