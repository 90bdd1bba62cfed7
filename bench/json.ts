/** Canonical JSON encoding and lossless parsing of the ~1.5 KB invite, next to JSON.stringify / JSON.parse. */
import * as E from 'fp-ts/lib/Either.js';
import type { Bench } from 'tinybench';
import { encodeCanonicalJson } from '../src/json/canonical.js';
import { parseJson } from '../src/json/parse.js';
import { INVITE_EVENT, INVITE_EVENT_TEXT } from './fixtures.js';
import { type PythonResult, pythonBench } from './python.js';

export function jsonBench(bench: Bench): void {
  const parsed = parseJson(INVITE_EVENT_TEXT);
  if (E.isLeft(parsed)) throw new Error(parsed.left.message);
  const value = parsed.right;
  const bytes = new TextEncoder().encode(INVITE_EVENT_TEXT);
  bench
    .add('canonical encode | encodeCanonicalJson (invite)', () => {
      encodeCanonicalJson(value);
    })
    .add('canonical encode | baseline: JSON.stringify (not canonical)', () => {
      JSON.stringify(INVITE_EVENT);
    })
    .add('parse | parseJson, string (invite)', () => {
      parseJson(INVITE_EVENT_TEXT);
    })
    .add('parse | parseJson, UTF-8 bytes (invite)', () => {
      parseJson(bytes);
    })
    .add('parse | baseline: JSON.parse (lossy)', () => {
      JSON.parse(INVITE_EVENT_TEXT);
    });
}

export function jsonPython(): PythonResult[] {
  const results = [
    pythonBench(
      'canonical encode | python: canonicaljson.encode_canonical_json',
      '',
      'canonicaljson.encode_canonical_json(data)',
      INVITE_EVENT,
    ),
    pythonBench('parse | python: json.loads', 'text = json.dumps(data)', 'json.loads(text)', INVITE_EVENT),
  ];
  return results.filter((r): r is PythonResult => r !== undefined);
}
