import forge from 'node-forge';
import { type DistinguishedName, type DnKey, dnOrder } from './distinguished-name.js';

// The forge side of a distinguished name lives apart from distinguished-name.ts so that the
// public DistinguishedName type (and its emitted .d.ts) never mentions node-forge: its types are
// a devDependency, and a strict consumer (skipLibCheck: false) would fail on them (TS7016).

/** The subject as forge attributes: UTF8String, except C which X.520 fixes as PrintableString. */
export function toForgeAttributes(subject: DistinguishedName): forge.pki.CertificateField[] {
  return dnOrder.flatMap((key) => {
    const value = subject[key];
    if (value === undefined) return [];
    return [
      {
        shortName: key,
        value,
        valueTagClass: (key === 'C' ? forge.asn1.Type.PRINTABLESTRING : forge.asn1.Type.UTF8) as unknown as forge.asn1.Class,
      },
    ];
  });
}

/**
 * forge keeps parsed UTF8String values as raw bytes but re-encodes UTF8String values on output,
 * so parsed attributes must be decoded before they are written into another certificate.
 */
export function decodeForgeAttributes(attributes: readonly forge.pki.CertificateField[]): forge.pki.CertificateField[] {
  return attributes.map((attribute) => {
    const value = attribute.value;
    if (attribute.valueTagClass === (forge.asn1.Type.UTF8 as unknown) && typeof value === 'string') {
      return { ...attribute, value: forge.util.decodeUtf8(value) };
    }
    return { ...attribute };
  });
}

/** The supported attributes of a parsed DN (forge fields already decoded). */
export function fromForgeAttributes(attributes: readonly forge.pki.CertificateField[]): DistinguishedName {
  const result: Partial<Record<DnKey, string>> = {};
  for (const attribute of decodeForgeAttributes(attributes)) {
    const key = attribute.shortName as DnKey | undefined;
    if (key !== undefined && (dnOrder as readonly string[]).includes(key) && typeof attribute.value === 'string') {
      result[key] = attribute.value;
    }
  }
  return { ...result, CN: result.CN ?? '' };
}
