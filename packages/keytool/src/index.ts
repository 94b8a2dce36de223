// Public API of @mcapi/keytool.
export { createCertificateAuthority, type CertificateAndKey, type CreateCertificateAuthorityOptions } from './x509/certificate-authority.js';
export { createCsr, parseCsr, type CreateCsrOptions, type ParsedCsr } from './x509/csr.js';
export { formatDistinguishedName, type DistinguishedName } from './x509/distinguished-name.js';
export { generateRsaKeyPair, rsaKeySizes, type RsaKeySize } from './x509/generate-key-pair.js';
export { issueCertificate, type CertificateUsage, type IssueCertificateOptions } from './x509/issue-certificate.js';
