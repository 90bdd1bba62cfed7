/**
 * The event crypto layer on the ~1.5 KB room 10 invite: redaction + reference hash (event ID), and a whole event
 * verification (redact, encode, ed25519 per backend, content hash) next to the Python stack doing the same
 * (Synapse's prune_event equivalent, signedjson.verify_signed_json over libsodium, hashlib content hash).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Bench } from 'tinybench';
import { availableBackends } from '../src/crypto/ed25519.js';
import { signingKeyFromSeed } from '../src/crypto/keys.js';
import type { KeyLookup } from '../src/crypto/types.js';
import { computeEventId } from '../src/events/hashes.js';
import { redactEvent } from '../src/events/redaction.js';
import { signEvent } from '../src/events/signing.js';
import { verifyEventSignatures } from '../src/events/verify.js';
import { parseJson } from '../src/json/parse.js';
import type { JsonObject } from '../src/json/value.js';
import { INVITE_EVENT } from './fixtures.js';
import { PY_REDACT_V1, type PythonResult, pythonBench } from './python.js';

const SEED = 'QJvXAPj0D9MUb1exkD8pIWmCvT1xajlsB8jRYz/G5HE';
const SERVER = 'inviter.example';

function unwrap<T>(either: E.Either<{ message: string }, T>): T {
  if (E.isLeft(either)) throw new Error(either.left.message);
  return either.right;
}

const key = unwrap(signingKeyFromSeed({ seed: SEED, version: 'a_Obwu' }));
const { hashes: _h, signatures: _s, ...template } = INVITE_EVENT;
/** The invite, hashed and signed, as a lossless parse of its wire text (what a server holds). */
const signedEvent = unwrap(
  parseJson(
    JSON.stringify(
      unwrap(
        signEvent({
          event: template as unknown as JsonObject,
          roomVersion: '10',
          serverName: SERVER,
          signingKey: key,
        }),
      ),
    ),
  ),
) as JsonObject;
const keys: KeyLookup = (server, keyId) =>
  server === SERVER && keyId === key.keyId ? { key: key.publicKey } : undefined;

export function eventsBench(bench: Bench): void {
  bench.add('redact + reference hash | redactEvent + computeEventId (room 10)', () => {
    unwrap(redactEvent(signedEvent, '10'));
    unwrap(computeEventId(signedEvent, '10'));
  });
  for (const backend of availableBackends()) {
    bench.add(`event verify | verifyEventSignatures + content hash (${backend})`, () => {
      unwrap(verifyEventSignatures({ event: signedEvent, roomVersion: '10', keys, backend }));
    });
  }
}

export function eventsPython(): PythonResult[] {
  const setup = `${PY_REDACT_V1}
event = data["event"]
verify_key = signedjson.key.decode_verify_key_base64("ed25519", "a_Obwu", data["key"])
def reference():
    redacted = redact(event)
    redacted.pop("signatures", None); redacted.pop("unsigned", None)
    return "$" + unpaddedbase64.encode_base64(hashlib.sha256(canonicaljson.encode_canonical_json(redacted)).digest(), urlsafe=True)
def verify():
    signedjson.sign.verify_signed_json(redact(event), "inviter.example", verify_key)
    hashed = {k: v for k, v in event.items() if k not in ("unsigned", "signatures", "hashes")}
    digest = hashlib.sha256(canonicaljson.encode_canonical_json(hashed)).digest()
    assert unpaddedbase64.decode_base64(event["hashes"]["sha256"]) == digest
verify()
`;
  const data = { event: signedEvent, key: key.publicKey };
  return [
    pythonBench(
      'redact + reference hash | python: prune + canonicaljson + sha256',
      setup,
      'reference()',
      data,
    ),
    pythonBench(
      'event verify | python: signedjson.verify_signed_json (libsodium) + content hash',
      setup,
      'verify()',
      data,
    ),
  ].filter((r): r is PythonResult => r !== undefined);
}
