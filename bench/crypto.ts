/** ed25519 sign and verify per backend (64-byte message), and signJson/verifyJsonSignatures on a small object. */
import * as E from 'fp-ts/lib/Either.js';
import type { Bench } from 'tinybench';
import { availableBackends, publicKeyFromSeed, signEd25519, verifyEd25519 } from '../src/crypto/ed25519.js';
import { signJson, verifyJsonSignatures } from '../src/crypto/json-signing.js';
import { keyLookupFrom, signingKeyFromSeed } from '../src/crypto/keys.js';
import { verifyEd25519WebCrypto, webCryptoEd25519Available } from '../src/crypto/webcrypto.js';
import { type PythonResult, pythonBench } from './python.js';

const SEED = new Uint8Array(32).fill(7);
const MESSAGE = new TextEncoder().encode('{"content":{"membership":"invite"},"type":"m.room.member"}0123456');

function unwrap<A>(either: E.Either<{ message: string }, A>): A {
  if (E.isLeft(either)) throw new Error(either.left.message);
  return either.right;
}

/** Adds the ed25519 and JSON signing tasks to `bench`. */
export async function cryptoBench(bench: Bench): Promise<void> {
  const publicKey = unwrap(publicKeyFromSeed(SEED));
  const signature = unwrap(signEd25519({ seed: SEED, message: MESSAGE }));
  for (const backend of availableBackends()) {
    const key = unwrap(signingKeyFromSeed({ seed: SEED, version: 'bench', backend }));
    const signed = unwrap(
      signJson({ value: { hello: 'world', n: 1 }, serverName: 'example.org', signingKey: key }),
    );
    const keys = keyLookupFrom({ 'example.org': { [key.keyId]: key.publicKey } });
    bench
      .add(`ed25519 verify | verifyEd25519 (${backend})`, () => {
        verifyEd25519({ publicKey, message: MESSAGE, signature, backend });
      })
      .add(`ed25519 sign | SigningKey.sign (${backend})`, () => {
        key.sign(MESSAGE);
      })
      .add(`JSON signing | signJson, small object (${backend})`, () => {
        signJson({ value: { hello: 'world', n: 1 }, serverName: 'example.org', signingKey: key });
      })
      .add(`JSON signing | verifyJsonSignatures, small object (${backend})`, () => {
        verifyJsonSignatures({ value: signed, serverName: 'example.org', keys, backend });
      });
  }
  if (await webCryptoEd25519Available()) {
    // One at a time (awaited): the latency of a single check, key import cached as in real use.
    bench.add('ed25519 verify | verifyEd25519WebCrypto (webcrypto, async)', async () => {
      await verifyEd25519WebCrypto({ publicKey, message: MESSAGE, signature });
    });
  }
}

/** PyNaCl (libsodium) sign and verify of the same message. */
export function cryptoPython(): PythonResult[] {
  const data = { seed: Buffer.from(SEED).toString('hex'), message: Buffer.from(MESSAGE).toString('hex') };
  const setup = [
    'sk = nacl.signing.SigningKey(bytes.fromhex(data["seed"]))',
    'msg = bytes.fromhex(data["message"])',
    'sig = sk.sign(msg).signature',
    'vk = sk.verify_key',
  ].join('\n');
  return [
    pythonBench('ed25519 verify | python: PyNaCl VerifyKey.verify', setup, 'vk.verify(msg, sig)', data),
    pythonBench('ed25519 sign | python: PyNaCl SigningKey.sign', setup, 'sk.sign(msg)', data),
  ].filter((r): r is PythonResult => r !== undefined);
}
