/**
 * Differential tests against python canonicaljson 1.6.2 and python-unpaddedbase64 (Debian), the code Synapse
 * hashes and signs with. A fresh corpus is generated on every run; the seed is printed so that any failure can
 * be replayed with INTEROP_SEED=<seed>.
 */

import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { expect, it } from 'vitest';
import { decodeBase64 } from '../../src/encoding/base64.js';
import { encodeCanonicalJsonBytes } from '../../src/json/canonical.js';
import { parseJson } from '../../src/json/parse.js';
import { reportDisagreement, shrinkBatched, smallest, stringCandidates } from '../helpers/disagreement.js';
import { bytesToHex } from '../helpers/fixtures.js';
import { jsonText, nested } from '../helpers/json-arbitrary.js';
import { describeInterop, PY_PRELUDE, runPython } from '../helpers/python-oracle.js';

const seed = Number(process.env.INTEROP_SEED ?? Date.now() % 2 ** 31);
console.log(`json interop corpus seed: ${seed} (replay with INTEROP_SEED=${seed})`);

const CANONICALISE = `${PY_PRELUDE}
def reject(c): raise ValueError("constant " + c)
out = []
for text in json.load(sys.stdin):
    try:
        value = json.loads(text, parse_constant=reject)
    except Exception as e:
        out.append("error:parse"); continue
    try:
        out.append(canonicaljson.encode_canonical_json(value).hex())
    except Exception as e:
        out.append("error:encode")
print(json.dumps(out))
`;

function ours(text: string): string {
  const parsed = parseJson(text, { maxDepth: 900 });
  if (E.isLeft(parsed)) return 'error';
  const encoded = encodeCanonicalJsonBytes(parsed.right, { maxDepth: 900 });
  return E.isLeft(encoded) ? 'error' : bytesToHex(encoded.right);
}

const theirsOf = (answer: string): string => (answer.startsWith('error') ? 'error' : answer);

/** Which texts the library and python canonicaljson disagree on (one oracle call). */
function disagreements(texts: readonly string[]): boolean[] {
  const python = runPython<string[]>(CANONICALISE, texts);
  return texts.map((text, i) => ours(text) !== theirsOf(python[i] as string));
}

function compare(texts: string[]): void {
  const python = runPython<string[]>(CANONICALISE, texts);
  const mismatches = texts.filter((text, i) => ours(text) !== theirsOf(python[i] as string));
  if (mismatches.length === 0) return;
  // The shortest disagreeing text, shrunk against the oracle: a minimal reproducible case.
  const shrink = shrinkBatched(
    smallest(mismatches, (t) => t.length) as string,
    stringCandidates,
    disagreements,
  );
  const minimal = shrink.value;
  expect.fail(
    reportDisagreement({
      title: 'canonical JSON vs python canonicaljson',
      seed,
      seedEnv: 'INTEROP_SEED',
      file: 'test/interop/json.interop.test.ts',
      input: JSON.stringify(minimal),
      details: { ours: ours(minimal), python: runPython<string[]>(CANONICALISE, [minimal])[0] },
      count: mismatches.length,
      shrink,
    }),
  );
}

describeInterop('canonical JSON is byte-identical to python canonicaljson', () => {
  it('on a generated corpus of 4000 valid texts (unicode keys, controls, big ints, floats, varied spelling)', () => {
    const texts = fc.sample(jsonText({ maxDepth: 6 }), { seed, numRuns: 4000 });
    compare(texts);
  });

  it('on deep nesting and boundary numbers', () => {
    const texts = [
      nested(200, '1.0'),
      nested(800, '"\\u0000"'),
      '[9007199254740991,9007199254740992,-9007199254740992,1e308,1e309,-1e400,1e-400,5e-324,2.5e-324]',
      '[0.1,0.2,0.30000000000000004,100000000000000000000.0,1e22,123456789.123456789,-0.0,-0,0e0,0E-0]',
      `[${'9'.repeat(4300)}]`,
      `[${'9'.repeat(4301)}]`,
    ];
    compare(texts);
  });

  it('on lone surrogates hidden or kept by duplicate keys (json.loads: the last value wins)', () => {
    const texts = [
      '{"a":"\\udead","a":"x"}',
      '{"a":"x","a":"\\udead"}',
      '{"a":{"b":["\\ud800"]},"a":1}',
      '{"k":{"\\ud800":1},"k":2}',
      '{"\\ud800":1,"\\ud800":2}',
      '{"a":"\\ud800","b":"\\ud800","a":1}',
      '[{"a":"\\udc00","a":"\\udc00"}]',
      '{"a":"\\ud83d\\ude00","a":"\\ud83d"}',
      '{"a":"\\ud83d","a":"\\ud83d\\ude00"}',
      '"\\ud800\\ud800\\udc00"',
      '{"a":"\ud800","a":"x"}',
      '{"a":"x","a":"\ud800"}',
      '"\\ud800\udc00"',
      '"\ud800\\udc00"',
    ];
    compare(texts);
    // Not vacuous: both sides accept some of these and refuse others.
    const verdicts = texts.map((text) => ours(text) === 'error');
    expect(verdicts).toContain(true);
    expect(verdicts).toContain(false);
  });

  it('on 4000 mutated texts: both accept (with equal bytes) or both reject', () => {
    const mutated = fc
      .tuple(
        jsonText({ maxDepth: 4 }),
        fc.nat(),
        fc.nat(),
        fc.constantFrom(
          '',
          '"',
          ',',
          '\\',
          '\\u',
          '\\ud83d',
          '}',
          ']',
          ' ',
          '-',
          '.',
          'e',
          '0',
          'NaN',
          '\u0001',
        ),
      )
      .map(([text, at, cut, insert]) => {
        const i = text.length ? at % text.length : 0;
        return text.slice(0, i) + insert + text.slice(i + (cut % 3));
      });
    compare(fc.sample(mutated, { seed: seed + 1, numRuns: 4000 }));
  });
});

describeInterop('base64 synapse mode equals python-unpaddedbase64', () => {
  it('on 5000 random strings over both alphabets, padding and garbage', () => {
    const alphabet = 'AZaz09+/-_=  !é\n.';
    const strings = fc.sample(
      fc
        .array(fc.constantFrom(...alphabet.split(''), 'Q', 'w', '8'), { maxLength: 14 })
        .map((c) => c.join('')),
      { seed: seed + 2, numRuns: 5000 },
    );
    const python = runPython<string[]>(
      `${PY_PRELUDE}
out = []
for s in json.load(sys.stdin):
    try: out.append(unpaddedbase64.decode_base64(s).hex())
    except Exception: out.append("error")
print(json.dumps(out))`,
      strings,
    );
    const mismatches = strings.filter((s, i) => {
      const result = decodeBase64(s, { mode: 'synapse' });
      return (E.isLeft(result) ? 'error' : bytesToHex(result.right)) !== python[i];
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
