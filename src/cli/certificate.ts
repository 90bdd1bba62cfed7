/**
 * A self-signed TLS certificate for the conformance command's key server, built with `node:crypto` and a small DER
 * writer (no `openssl` binary needed): an ECDSA P-256 key, X.509 v3 (RFC 5280) with the names the target connects
 * to in subjectAltName (IP addresses and DNS names), keyUsage digitalSignature, extKeyUsage serverAuth, and no CA
 * flag, so that a target can trust it directly (`federation_custom_ca_list` in Synapse, `NODE_EXTRA_CA_CERTS` in
 * Node).
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/** DER: a tag, its length, its content. */
function tlv(tag: number, content: Uint8Array): Uint8Array {
  const length = content.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else {
    const bytes: number[] = [];
    for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  const out = new Uint8Array(header.length + length);
  out.set(header);
  out.set(content, header.length);
  return out;
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

const sequence = (...parts: Uint8Array[]) => tlv(0x30, concat(parts));
const set = (...parts: Uint8Array[]) => tlv(0x31, concat(parts));
const ascii = (text: string) => new TextEncoder().encode(text);

/** An OBJECT IDENTIFIER from its dotted form. */
function oid(dotted: string): Uint8Array {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const group: number[] = [arc & 0x7f];
    for (let n = arc >>> 7; n > 0; n >>>= 7) group.unshift(0x80 | (n & 0x7f));
    bytes.push(...group);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

/** An INTEGER from big-endian bytes whose first byte is 0x01-0x7f (positive, minimal: the callers ensure it). */
const integer = (bytes: Uint8Array): Uint8Array => tlv(0x02, bytes);

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
function time(date: Date): Uint8Array {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? tlv(0x17, ascii(`${iso.slice(2)}Z`)) : tlv(0x18, ascii(`${iso}Z`));
}

const name = (commonName: string) => sequence(set(sequence(oid('2.5.4.3'), tlv(0x0c, ascii(commonName)))));
const extension = (id: string, critical: boolean, value: Uint8Array) =>
  sequence(oid(id), ...(critical ? [tlv(0x01, Uint8Array.of(0xff))] : []), tlv(0x04, value));

/** The 4 or 16 bytes of an IP address. */
function ipBytes(address: string): Uint8Array {
  if (isIPv4(address)) return Uint8Array.from(address.split('.').map(Number));
  const [head = '', tail = ''] = address.includes('::') ? address.split('::') : [address, ''];
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const left = groups(head);
  const right = groups(tail);
  const all = [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  return Uint8Array.from(all.flatMap((g) => [g >> 8, g & 0xff]));
}

/** What the certificate is for. */
export interface CertificateParams {
  /** Names the target may connect to: IP addresses (IPv4, IPv6 without brackets) or DNS names. */
  readonly names: readonly string[];
  /** Start of validity (default: a day ago, for clock skew). */
  readonly notBefore?: Date;
  /** End of validity (default: 825 days after `notBefore`). */
  readonly notAfter?: Date;
}

/** A certificate and its private key, PEM. */
export interface SelfSignedCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

function pem(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Generates a key pair and a self-signed certificate for `names`. */
export function selfSignedCertificate(params: CertificateParams): SelfSignedCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const notBefore = params.notBefore ?? new Date(Date.now() - 86_400_000);
  const notAfter = params.notAfter ?? new Date(notBefore.getTime() + 825 * 86_400_000);
  const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'));
  const subject = name('matrix-invite conformance key server');
  const altNames = params.names.map((n) =>
    isIPv4(n) || isIPv6(n) ? tlv(0x87, ipBytes(n)) : tlv(0x82, ascii(n)),
  );
  // 16 random bytes, the first one 0x01-0x7f: a positive, minimally encoded serial (RFC 5280 4.1.2.2).
  const serial = randomBytes(16);
  serial[0] = ((serial[0] as number) & 0x7f) | 0x01;
  const tbs = sequence(
    tlv(0xa0, integer(Uint8Array.of(2))),
    integer(serial),
    ecdsaWithSha256,
    subject,
    sequence(time(notBefore), time(notAfter)),
    subject,
    new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
    tlv(
      0xa3,
      sequence(
        extension('2.5.29.17', false, sequence(...altNames)),
        extension('2.5.29.15', true, tlv(0x03, Uint8Array.of(7, 0x80))),
        extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))),
      ),
    ),
  );
  const signature = new Uint8Array(sign('sha256', tbs, privateKey));
  const certificate = sequence(tbs, ecdsaWithSha256, tlv(0x03, concat([Uint8Array.of(0), signature])));
  return {
    certPem: pem('CERTIFICATE', certificate),
    keyPem: String(privateKey.export({ type: 'pkcs8', format: 'pem' })),
  };
}
