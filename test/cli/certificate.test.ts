/**
 * The conformance command's self-signed certificate: parsed by Node's X509Certificate, names in subjectAltName,
 * self-signature valid, used by a TLS server that Node's https client and Python's ssl module (OpenSSL, as
 * Synapse's Twisted uses) trust when given the certificate alone.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../src/cli/certificate.js';
import { PYTHON } from '../helpers/python-oracle.js';

describe('selfSignedCertificate', () => {
  it('holds the names, a valid self-signature, P-256, serverAuth, no CA flag', () => {
    const { certPem, keyPem } = selfSignedCertificate({
      names: ['127.0.0.1', '::1', 'fe80::1:2', '2001:db8:0:0:1:0:0:1', 'localhost', 'kit.test'],
      notBefore: new Date('2026-01-01T00:00:00Z'),
    });
    const cert = new X509Certificate(certPem);
    expect(cert.subjectAltName).toBe(
      'IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:FE80:0:0:0:0:0:1:2, IP Address:2001:DB8:0:0:1:0:0:1, DNS:localhost, DNS:kit.test',
    );
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('kit.test')).toBe('kit.test');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.subject).toBe('CN=matrix-invite conformance key server');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.validFrom).toBe('Jan  1 00:00:00 2026 GMT');
    expect(cert.validTo).toBe('Apr  5 00:00:00 2028 GMT');
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('writes dates from 2050 on as GeneralizedTime, and a serial that is a positive integer', () => {
    const certs = Array.from({ length: 8 }, () =>
      selfSignedCertificate({
        names: ['localhost'],
        notBefore: new Date('2049-06-01T00:00:00Z'),
        notAfter: new Date('2051-06-01T12:30:45Z'),
      }),
    );
    for (const { certPem } of certs) {
      const cert = new X509Certificate(certPem);
      expect(cert.validFrom).toBe('Jun  1 00:00:00 2049 GMT');
      expect(cert.validTo).toBe('Jun  1 12:30:45 2051 GMT');
      expect(cert.serialNumber).toMatch(/^[0-7][0-9A-F]{31}$/);
    }
  });

  it('is trusted by Node and by Python (OpenSSL) over TLS when given as the only CA', async () => {
    const { certPem, keyPem } = selfSignedCertificate({ names: ['127.0.0.1', 'localhost'] });
    const dir = mkdtempSync(join(tmpdir(), 'mfi-cert-'));
    const caFile = join(dir, 'cert.pem');
    writeFileSync(caFile, certPem);
    const server = createServer({ cert: certPem, key: keyPem }, (_q, r) => r.end('keys'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const node = await new Promise<string>((resolve, reject) => {
        get(url, { ca: certPem, agent: false }, (response) => {
          let text = '';
          response.on('data', (chunk) => {
            text += String(chunk);
          });
          response.on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(node).toBe('keys');
      // Without the certificate, the default trust store refuses it.
      await expect(
        new Promise((resolve, reject) => get(url, { agent: false }, resolve).on('error', reject)),
      ).rejects.toThrow(/self-signed certificate/);
      const python = await new Promise<string>((resolve, reject) => {
        execFile(
          PYTHON,
          [
            '-c',
            'import ssl, sys, urllib.request; ctx = ssl.create_default_context(cafile=sys.argv[1]); print(urllib.request.urlopen(sys.argv[2], context=ctx).read().decode())',
            caFile,
            url,
          ],
          (error, stdout, stderr) => (error === null ? resolve(stdout.trim()) : reject(new Error(stderr))),
        );
      });
      expect(python).toBe('keys');
    } finally {
      server.close();
      server.closeAllConnections();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
