/**
 * An RFC 7512 PKCS#11 URI naming a private key: what the keyring records instead of a key file,
 * and what logs may show (it holds no secret: the PIN is never part of it).
 */
export function pkcs11Uri(parts: { token: string; label?: string; id?: Buffer }): string {
  const attributes = [`token=${encode(Buffer.from(parts.token, 'utf8'))}`];
  if (parts.id !== undefined && parts.id.length > 0) attributes.push(`id=${percentAll(parts.id)}`);
  if (parts.label !== undefined) attributes.push(`object=${encode(Buffer.from(parts.label, 'utf8'))}`);
  attributes.push('type=private');
  return `pkcs11:${attributes.join(';')}`;
}

/** The parts of a `pkcs11:` URI this package writes: token, object (label), id. */
export function parsePkcs11Uri(uri: string): { token?: string; label?: string; id?: string } | undefined {
  if (typeof uri !== 'string' || !uri.startsWith('pkcs11:')) return undefined;
  const result: { token?: string; label?: string; id?: string } = {};
  for (const attribute of uri.slice('pkcs11:'.length).split('?')[0]!.split(';')) {
    const [name, value = ''] = attribute.split('=', 2) as [string, string?];
    const bytes = decode(value);
    if (bytes === undefined) return undefined;
    if (name === 'token') result.token = bytes.toString('utf8');
    else if (name === 'object') result.label = bytes.toString('utf8');
    else if (name === 'id') result.id = bytes.toString('hex');
  }
  return result;
}

// RFC 7512 §2.3: unreserved characters and a few others may stay; everything else is %XX.
function encode(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~:[\]@!$'()*+,=&]/.test(char) && byte < 0x80 ? char : `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

function percentAll(bytes: Buffer): string {
  return [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

function decode(value: string): Buffer | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '%') {
      const hex = value.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(value[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}
