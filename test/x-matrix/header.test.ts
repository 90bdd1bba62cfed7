/**
 * The X-Matrix header grammar (RFC 9110 §11.4 auth-param; spec "Request Authentication"): quoted and token values,
 * escapes, whitespace, case, unknown and duplicate parameters, and no throw on hostile input (fast-check, seeded).
 */

import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { formatXMatrixHeader, parseXMatrixHeader } from '../../src/x-matrix/header.js';
import { vectors } from '../helpers/fixtures.js';

const ok = (value: string) => {
  const parsed = parseXMatrixHeader(value);
  if (E.isLeft(parsed)) throw new Error(`expected a parse: ${parsed.left.message}`);
  return parsed.right;
};
const reason = (value: unknown) => {
  const parsed = parseXMatrixHeader(value);
  if (E.isRight(parsed)) throw new Error(`expected an error for ${String(value)}`);
  return parsed.left.reason;
};

describe('parseXMatrixHeader', () => {
  it('the spec example and the wire examples', () => {
    for (const vector of vectors.x_matrix) {
      const header = ok(vector.header);
      expect({
        origin: header.origin,
        destination: header.destination,
        key: header.key,
        sig: header.sig,
      }).toEqual(vector.expected_params);
    }
    for (const wire of vectors.wire_examples) {
      const header = ok(wire.authorization_header);
      expect(header.origin).toBe('inviter.example');
      expect(header.destination).toBe('invitee.example');
      expect(header.key).toBe('ed25519:1');
    }
  });

  it.each<[string, string, Record<string, string>]>([
    [
      'unquoted values (colon allowed)',
      'X-Matrix origin=a.example:8448,key=ed25519:1,sig=ABC',
      { origin: 'a.example:8448', key: 'ed25519:1', sig: 'ABC' },
    ],
    ['base64 with / + = unquoted', 'X-Matrix origin=a,key=ed25519:1,sig=ab/c+d==', { sig: 'ab/c+d==' }],
    ['scheme in lower case', 'x-matrix origin="a",key="k:1",sig="s"', { origin: 'a' }],
    ['scheme in upper case', 'X-MATRIX origin="a",key="k:1",sig="s"', { origin: 'a' }],
    ['several spaces after the scheme', 'X-Matrix    origin="a",key="k:1",sig="s"', { origin: 'a' }],
    [
      'spaces and tabs around commas',
      'X-Matrix origin="a" ,\tkey="k:1"\t, sig="s"',
      { key: 'k:1', sig: 's' },
    ],
    ['spaces around =', 'X-Matrix origin = "a",key= "k:1",sig ="s"', { origin: 'a' }],
    [
      'names in any case',
      'X-Matrix ORIGIN="a",Key="k:1",SiG="s",DESTINATION="d"',
      { origin: 'a', destination: 'd' },
    ],
    [
      'any order',
      'X-Matrix sig="s",key="k:1",destination="d",origin="a"',
      { origin: 'a', destination: 'd', sig: 's' },
    ],
    ['escapes in quoted values', 'X-Matrix origin="a\\"b\\\\c\\d",key="k:1",sig="s"', { origin: 'a"b\\cd' }],
    [
      'commas and spaces inside quotes',
      'X-Matrix origin="a, b = c",key="k:1",sig="s"',
      { origin: 'a, b = c' },
    ],
    ['empty quoted value', 'X-Matrix origin="",key="k:1",sig="s"', { origin: '' }],
    [
      'unknown parameters are kept aside',
      'X-Matrix origin="a",key="k:1",sig="s",signature="t",foo=bar',
      { origin: 'a', sig: 's', signature: 't', foo: 'bar' },
    ],
    ['empty list elements', 'X-Matrix ,origin="a",,key="k:1", ,sig="s",', { origin: 'a' }],
    ['surrounding whitespace', '  X-Matrix origin="a",key="k:1",sig="s" \t', { sig: 's' }],
    ['obs-text in quotes', 'X-Matrix origin="é",key="k:1",sig="s"', { origin: 'é' }],
  ])('%s', (_name, value, expected) => {
    const header = ok(value);
    for (const [name, v] of Object.entries(expected)) {
      if (['origin', 'destination', 'key', 'sig'].includes(name)) expect(header[name as 'origin']).toBe(v);
      expect(header.params[name]).toBe(v);
    }
  });

  it('a missing destination is accepted (senders before v1.3)', () => {
    const header = ok('X-Matrix origin="a",key="ed25519:1",sig="s"');
    expect(header.destination).toBeUndefined();
    expect('destination' in header).toBe(false);
  });

  it('params has no prototype (no __proto__ tricks)', () => {
    const header = ok('X-Matrix origin="a",key="k:1",sig="s",__proto__="x",constructor=y');
    expect(Object.getOwnPropertyDescriptor(header.params, '__proto__')?.value).toBe('x');
    expect(header.params.constructor).toBe('y');
    expect(Object.getPrototypeOf(header.params)).toBeNull();
  });

  it.each<[string, unknown, string]>([
    ['not a string', 42, 'not_a_string'],
    ['empty', '', 'wrong_scheme'],
    ['another scheme', 'Bearer abc', 'wrong_scheme'],
    ['scheme prefix', 'X-Matrixx origin="a",key="k",sig="s"', 'wrong_scheme'],
    ['scheme only', 'X-Matrix', 'missing_params'],
    ['scheme followed by a tab', 'X-Matrix\torigin="a",key="k",sig="s"', 'missing_params'],
    ['no comma between params', 'X-Matrix origin="a" key="k",sig="s"', 'malformed_param'],
    ['no =', 'X-Matrix origin,key="k",sig="s"', 'malformed_param'],
    ['no value', 'X-Matrix origin=,key="k",sig="s"', 'malformed_param'],
    ['unterminated quote', 'X-Matrix key="k",sig="s",origin="a', 'unterminated_quoted_string'],
    ['lone backslash at the end', 'X-Matrix origin="a\\', 'unterminated_quoted_string'],
    ['control character in quotes', 'X-Matrix origin="a\u0001",key="k",sig="s"', 'invalid_character'],
    ['escaped control character', 'X-Matrix origin="a\\\u0001",key="k",sig="s"', 'invalid_character'],
    ['quote inside a token', 'X-Matrix origin=a"b,key="k",sig="s"', 'malformed_param'],
    ['backslash in a token', 'X-Matrix origin=a\\b,key="k",sig="s"', 'malformed_param'],
    ['starts with =', 'X-Matrix =a', 'invalid_character'],
    ['duplicate parameter', 'X-Matrix origin="a",key="k",sig="s",origin="b"', 'duplicate_param'],
    ['duplicate in another case', 'X-Matrix origin="a",key="k",sig="s",Sig="t"', 'duplicate_param'],
    ['no origin', 'X-Matrix key="k",sig="s"', 'missing_required_param'],
    ['no key', 'X-Matrix origin="a",sig="s"', 'missing_required_param'],
    [
      'no sig (signature is not an alias)',
      'X-Matrix origin="a",key="k",signature="s"',
      'missing_required_param',
    ],
  ])('%s → %s', (_name, value, expected) => {
    expect(reason(value)).toBe(expected);
  });

  it('never throws on hostile strings and round-trips what senders write (fast-check, seeded)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (value) => {
        const parsed = parseXMatrixHeader(value);
        expect(E.isLeft(parsed) || typeof parsed.right.origin === 'string').toBe(true);
      }),
      { seed: 20260721, numRuns: 2000 },
    );
    const piece = fc.constantFrom(
      'X-Matrix',
      'x-matrix',
      ' ',
      '\t',
      ',',
      '=',
      '"',
      '\\',
      'origin',
      'key',
      'sig',
      'destination',
      'a',
      ':',
      '/',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        expect(() => parseXMatrixHeader(pieces.join(''))).not.toThrow();
      }),
      { seed: 7, numRuns: 3000 },
    );
    const printable = fc
      .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1 })
      .filter((s) => !s.includes('"') && !s.includes('\\'));
    fc.assert(
      fc.property(printable, printable, printable, printable, (origin, destination, key, sig) => {
        const header = formatXMatrixHeader({ origin, destination, key, sig });
        if (E.isLeft(header)) throw new Error(header.left.message);
        const parsed = ok(header.right);
        expect([parsed.origin, parsed.destination, parsed.key, parsed.sig]).toEqual([
          origin,
          destination,
          key,
          sig,
        ]);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('is linear on long inputs', () => {
    const long = `X-Matrix origin="${'a'.repeat(1_000_000)}",key="k",sig="s"`;
    expect(ok(long).origin.length).toBe(1_000_000);
    expect(reason(`X-Matrix ${','.repeat(1_000_000)}`)).toBe('missing_required_param');
  });
});

describe('formatXMatrixHeader', () => {
  it('writes what senders must write', () => {
    expect(
      formatXMatrixHeader({ origin: 'a.example', destination: 'b.example', key: 'ed25519:1', sig: 'S/+' }),
    ).toEqual(E.right('X-Matrix origin="a.example",destination="b.example",key="ed25519:1",sig="S/+"'));
  });

  it.each(['', 'a"b', 'a\\b', 'a\nb', 'é'])('refuses %j', (bad) => {
    const result = formatXMatrixHeader({ origin: bad, destination: 'b', key: 'ed25519:1', sig: 's' });
    expect(E.isLeft(result) && result.left.reason).toBe('invalid_value');
  });
});
