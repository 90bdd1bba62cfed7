import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from '../../src/identifiers/common.js';
import { isValidUserId, parseUserId, serverNameOf } from '../../src/identifiers/user-id.js';

const reason = (input: unknown, strict = false): string => {
  const r = parseUserId(input, { strict });
  return E.isLeft(r) ? r.left.reason : 'ok';
};

describe('parseUserId (SPEC/appendices/#user-identifiers)', () => {
  it('parses a current-grammar ID', () => {
    const r = parseUserId('@alice:example.org');
    expect(E.isRight(r) && r.right).toEqual({
      userId: '@alice:example.org',
      localpart: 'alice',
      serverName: 'example.org',
      server: { serverName: 'example.org', host: 'example.org', kind: 'dns' },
      historical: false,
    });
  });

  it.each([
    '@a:x',
    '@alice.bob_c=d-e/f+g:example.org',
    '@0:1.2.3.4:8448',
    '@x:[::1]:8448',
    '@a:localhost:8008',
  ])('accepts %s in both modes', (id) => {
    expect(reason(id, true)).toBe('ok');
    expect(reason(id, false)).toBe('ok');
  });

  it('splits at the first ":" (spec appendices: User Identifiers; the server name may contain ":")', () => {
    const r = parseUserId('@a:b:1');
    expect(E.isRight(r) && [r.right.localpart, r.right.serverName, r.right.server.port]).toEqual([
      'a',
      'b:1',
      1,
    ]);
    // "b:c" is not a valid server name: a localpart never contains ":".
    expect(reason('@a:b:c')).toBe('invalid_server_name');
  });

  it.each([
    ['@Alice:x', 1],
    ['@:x', 1],
    ['@a b:x', 2],
    ['@a\u0001:x', 2],
    ['@é:x', 1],
    ['@🐈:x', 1],
    ['@a#b:x', 2],
    ['@a~b:x', 2],
  ])('historical localpart %j: accepted leniently, rejected strictly at index %d', (id, index) => {
    const lenient = parseUserId(id);
    expect(E.isRight(lenient) && lenient.right.historical).toBe(true);
    const strict = parseUserId(id, { strict: true });
    expect(E.isLeft(strict) && strict.left).toMatchObject({ reason: 'invalid_localpart', index });
  });

  it.each([
    [42, 'not_a_string'],
    [undefined, 'not_a_string'],
    ['', 'empty'],
    ['alice:x', 'missing_sigil'],
    ['!a:x', 'missing_sigil'],
    ['@alice', 'missing_server_name'],
    ['@a\u0000b:x', 'nul_character'],
    ['@\u0000:x', 'nul_character'],
    ['@a\ud800:x', 'lone_surrogate'],
    ['@a\udc00b:x', 'lone_surrogate'],
    ['@a:', 'invalid_server_name'],
    ['@a:x_y', 'invalid_server_name'],
    ['@a:X.org:', 'invalid_server_name'],
    ['@a:x\u0000', 'invalid_server_name'],
  ])('rejects %j: %s', (input, expected) => {
    expect(reason(input)).toBe(expected);
    expect(isValidUserId(input)).toBe(false);
  });

  it('wraps the server-name error and points into the whole ID', () => {
    const r = parseUserId('@a:x_y');
    expect(E.isLeft(r) && r.left).toMatchObject({
      kind: 'IdentifierError',
      identifier: 'user_id',
      reason: 'invalid_server_name',
      index: 4,
      cause: { identifier: 'server_name', reason: 'invalid_dns_name', index: 1 },
    });
  });

  it('a NUL or colon in the server part is a server-name problem, not a localpart one', () => {
    expect(reason('@a:b\u0000')).toBe('invalid_server_name');
  });
});

describe('255-byte limit (spec appendices: User Identifiers, 255 bytes, not characters)', () => {
  const cat = '🐈'; // 4 UTF-8 bytes, 2 UTF-16 code units

  it('64 cats are 256 bytes', () => {
    expect(utf8ByteLength(cat.repeat(64))).toBe(256);
    expect(cat.repeat(64).length).toBe(128);
  });

  it.each([
    [`@${cat.repeat(62)}:ab.yz`, 255, 'ok'],
    [`@${cat.repeat(62)}:abc.yz`, 256, 'too_long'],
    [`@${cat.repeat(63)}:x.y`, 257, 'too_long'], // only 131 UTF-16 code units
    [`@${cat.repeat(64)}:x`, 259, 'too_long'],
    [`@${'é'.repeat(126)}:x`, 255, 'ok'],
    [`@${'é'.repeat(127)}:x`, 257, 'too_long'],
    [`@${'a'.repeat(250)}:x.y`, 255, 'ok'],
    [`@${'a'.repeat(251)}:x.y`, 256, 'too_long'],
  ])('%#: %d bytes → %s', (id, bytes, expected) => {
    expect(utf8ByteLength(id)).toBe(bytes);
    expect(reason(id)).toBe(expected);
  });
});

describe('serverNameOf (Synapse get_domain_from_id)', () => {
  it.each([
    ['@alice:example.org', 'example.org'],
    ['@alice:example.org:8448', 'example.org:8448'],
    ['@a:b:c', 'b:c'],
    ['!room:x', 'x'],
    ['@:', ''],
    ['no-sigil:X.org', 'X.org'],
  ])('%s → %s', (id, server) => {
    expect(serverNameOf(id)).toEqual(E.right(server));
  });

  it.each([
    ['@alice', 'missing_server_name'],
    [null, 'not_a_string'],
  ])('%j → %s', (id, expected) => {
    const r = serverNameOf(id);
    expect(E.isLeft(r) && r.left.reason).toBe(expected);
  });
});

describe('properties', () => {
  const strictChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789._=-/+'.split(''));
  const strictLocalpart = fc.string({ unit: strictChar, minLength: 1, maxLength: 40 });
  const server = fc.constantFrom('example.org', 'x', 'localhost:8008', '1.2.3.4:80', '[::1]');

  it('strict localparts round-trip in both modes', () => {
    fc.assert(
      fc.property(strictLocalpart, server, (local, srv) => {
        const r = parseUserId(`@${local}:${srv}`, { strict: true });
        expect(E.isRight(r) && [r.right.localpart, r.right.serverName, r.right.historical]).toEqual([
          local,
          srv,
          false,
        ]);
      }),
    );
  });

  it('any well-formed localpart without ":" and NUL is accepted leniently, with the server after the first ":"', () => {
    const localpart = fc
      .string({ unit: 'grapheme', maxLength: 30 })
      .map((s) => s.replaceAll(':', '').replaceAll('\u0000', ''));
    fc.assert(
      fc.property(localpart, server, (local, srv) => {
        const id = `@${local}:${srv}`;
        const r = parseUserId(id);
        if (new TextEncoder().encode(id).length > 255) {
          expect(E.isLeft(r) && r.left.reason).toBe('too_long');
          return;
        }
        expect(E.isRight(r) && [r.right.localpart, r.right.serverName]).toEqual([local, srv]);
      }),
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.boolean(), (s, strict) => {
        parseUserId(s, { strict });
        parseUserId(`@${s}`, { strict });
        serverNameOf(s);
      }),
    );
  });
});
