import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { isIpv6Address, isValidServerName, parseServerName } from '../../src/identifiers/server-name.js';

const reason = (input: unknown): string => {
  const r = parseServerName(input);
  return E.isLeft(r) ? r.left.reason : 'ok';
};

describe('parseServerName: spec examples (SPEC/appendices/#server-name)', () => {
  it.each([
    ['matrix.org', { host: 'matrix.org', kind: 'dns' }],
    ['matrix.org:8888', { host: 'matrix.org', port: 8888, kind: 'dns' }],
    ['1.2.3.4', { host: '1.2.3.4', kind: 'ipv4' }],
    ['1.2.3.4:1234', { host: '1.2.3.4', port: 1234, kind: 'ipv4' }],
    ['[1234:5678::abcd]', { host: '[1234:5678::abcd]', kind: 'ipv6' }],
    ['[1234:5678::abcd]:5678', { host: '[1234:5678::abcd]', port: 5678, kind: 'ipv6' }],
  ])('%s', (input, expected) => {
    expect(parseServerName(input)).toEqual(E.right({ serverName: input, ...expected }));
  });
});

describe('parseServerName: accepted', () => {
  it.each([
    ['localhost', 'dns'],
    ['localhost:8008', 'dns'],
    ['Matrix.ORG', 'dns'], // case-sensitive, kept as written
    ['a', 'dns'],
    ['xn--bcher-kva.example', 'dns'],
    ['-', 'dns'], // the grammar has no label structure
    ['a..b', 'dns'],
    ['1.2.3', 'dns'],
    ['1.2.3.4.5', 'dns'],
    ['1234.1.1.1', 'dns'],
    ['0.0.0.0', 'ipv4'],
    ['255.255.255.255', 'ipv4'],
    ['001.002.003.004', 'ipv4'],
    ['[::]', 'ipv6'],
    ['[::1]', 'ipv6'],
    ['[1::]', 'ipv6'],
    ['[1:2:3:4:5:6:7:8]', 'ipv6'],
    ['[1:2:3:4:5:6:7::]', 'ipv6'],
    ['[::2:3:4:5:6:7:8]', 'ipv6'],
    ['[FEDC:BA98:7654:3210:FEDC:BA98:7654:3210]', 'ipv6'],
    ['[1080::8:800:200C:417A]', 'ipv6'],
    ['[::13.1.68.3]', 'ipv6'],
    ['[::FFFF:129.144.52.38]', 'ipv6'],
    ['[0:0:0:0:0:0:13.1.68.3]', 'ipv6'],
    ['[1:2:3:4:5::1.2.3.4]', 'ipv6'],
    ['[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]', 'ipv6'],
    ['x.org:0', 'dns'],
    ['x.org:99999', 'dns'], // 1*5DIGIT, not bounded to 65535
    ['x.org:00001', 'dns'],
  ])('%s (%s)', (input, kind) => {
    const r = parseServerName(input);
    expect(E.isRight(r) && r.right.kind).toBe(kind);
    expect(isValidServerName(input)).toBe(true);
  });

  it('parses the port as a number and keeps the hostname verbatim', () => {
    expect(parseServerName('X.org:00443')).toEqual(
      E.right({ serverName: 'X.org:00443', host: 'X.org', port: 443, kind: 'dns' }),
    );
  });

  it('accepts a 255-character DNS name', () => {
    expect(reason('a'.repeat(255))).toBe('ok');
    expect(reason(`${'a'.repeat(255)}:1`)).toBe('ok');
  });
});

describe('parseServerName: rejected', () => {
  it.each([
    [42, 'not_a_string'],
    [null, 'not_a_string'],
    ['', 'empty'],
    [':8448', 'invalid_dns_name'],
    ['a'.repeat(256), 'invalid_dns_name'],
    ['matrix_org', 'invalid_dns_name'],
    ['matrix.org/', 'invalid_dns_name'],
    ['matrix org', 'invalid_dns_name'],
    ['mätrix.org', 'invalid_dns_name'],
    ['matrix.org\u0000', 'invalid_dns_name'],
    ['@matrix.org', 'invalid_dns_name'],
    ['matrix.org:', 'invalid_port'],
    ['matrix.org:123456', 'invalid_port'],
    ['matrix.org:8a', 'invalid_port'],
    ['matrix.org:+80', 'invalid_port'],
    ['matrix.org: 80', 'invalid_port'],
    ['matrix.org:80:80', 'invalid_port'],
    ['1.2.3.256', 'invalid_ipv4'],
    ['1.2.3.999:80', 'invalid_ipv4'],
    ['256.0.0.0', 'invalid_ipv4'],
    ['[1234:5678::abcd', 'invalid_ipv6'],
    ['[]', 'invalid_ipv6'],
    ['[:]', 'invalid_ipv6'],
    ['[1]', 'invalid_ipv6'],
    ['[1:2:3:4:5:6:7]', 'invalid_ipv6'],
    ['[1:2:3:4:5:6:7:8:9]', 'invalid_ipv6'],
    ['[1:2:3:4:5:6:7:8::]', 'invalid_ipv6'],
    ['[1::2::3]', 'invalid_ipv6'],
    ['[1:::2]', 'invalid_ipv6'],
    ['[:::]', 'invalid_ipv6'],
    ['[:1:2:3:4:5:6:7]', 'invalid_ipv6'],
    ['[1:2:3:4:5:6:7:]', 'invalid_ipv6'],
    ['[12345::]', 'invalid_ipv6'],
    ['[g::1]', 'invalid_ipv6'],
    ['[::1%eth0]', 'invalid_ipv6'],
    ['[::1.2.3]', 'invalid_ipv6'],
    ['[::1.2.3.256]', 'invalid_ipv6'],
    ['[::01.2.3.4]', 'invalid_ipv6'],
    ['[::1.2.3.00]', 'invalid_ipv6'],
    ['[::1.2.3.4:5]', 'invalid_ipv6'],
    ['[1.2.3.4::]', 'invalid_ipv6'],
    ['[1:2:3:4:5:6:7:1.2.3.4]', 'invalid_ipv6'],
    ['[1:2:3:4:5:6:1.2.3.4:8]', 'invalid_ipv6'],
    ['[1:2:3:4:5:6:7::1.2.3.4]', 'invalid_ipv6'],
    [`[${'1:'.repeat(22)}:]`, 'invalid_ipv6'], // over 45 characters
    ['1234:5678::abcd', 'invalid_port'], // unbracketed IPv6
    ['[::1]x', 'invalid_server_name'],
    ['[::1]]', 'invalid_server_name'],
    ['[::1]:', 'invalid_port'],
    ['[::1]:x', 'invalid_port'],
  ])('%j: %s', (input, expected) => {
    expect(reason(input)).toBe(expected);
    expect(isValidServerName(input)).toBe(false);
  });

  it('reports the index of the offending character', () => {
    const r = parseServerName('matrix_org');
    expect(E.isLeft(r) && r.left).toMatchObject({
      kind: 'IdentifierError',
      identifier: 'server_name',
      index: 6,
    });
  });
});

describe('isIpv6Address (RFC 3513 §2.2) properties', () => {
  const group = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
  const groups = fc.array(group, { minLength: 8, maxLength: 8 });

  it('accepts every full form and every single :: compression of it', () => {
    fc.assert(
      fc.property(groups, fc.nat(7), fc.integer({ min: 1, max: 8 }), (gs, start, len) => {
        expect(isIpv6Address(gs.join(':'))).toBe(true);
        const end = Math.min(8, start + len);
        const compressed = `${gs.slice(0, start).join(':')}::${gs.slice(end).join(':')}`;
        expect(isIpv6Address(compressed)).toBe(true);
      }),
    );
  });

  const agreesWithUrl = (text: string): void => {
    let url = false;
    try {
      new URL(`http://[${text}]/`);
      url = true;
    } catch {
      url = false;
    }
    expect(isIpv6Address(text)).toBe(url);
  };

  it('agrees with the WHATWG URL parser on random IPv6-alphabet strings', () => {
    const chars = fc.constantFrom(...'0123456789abcdefABCDEF:.'.split(''));
    fc.assert(fc.property(fc.string({ unit: chars, minLength: 2, maxLength: 45 }), agreesWithUrl), {
      numRuns: 3000,
    });
  });

  it('agrees with the WHATWG URL parser on near-miss addresses', () => {
    const piece = fc.oneof(
      group,
      fc.constant(''),
      fc.constantFrom('1.2.3.4', '01.2.3.4', '1.2.3', '256.1.1.1', '0.0.0.0', '12345', 'g'),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 10 }), (pieces) =>
        agreesWithUrl(pieces.join(':')),
      ),
      { numRuns: 3000 },
    );
  });
});
