/** `matrix-invite keygen`: a new ed25519 signing key as a Synapse signing key file line. */
import { randomBytes } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { generateSigningKey, parseSigningKeyFile } from '../crypto/keys.js';
import { asText, defineCommand, EXIT_OK, printJson, readFileArg, stringOption, usageFailure } from './io.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A version like Synapse's `generate_signing_key`: `a_` and four random letters. */
export function randomKeyVersion(): string {
  return `a_${Array.from(randomBytes(4), (b) => LETTERS.charAt(b % LETTERS.length)).join('')}`;
}

export const keygenCommand = defineCommand({
  name: 'keygen',
  summary: 'generate a signing key (a Synapse signing key file line)',
  help: `Usage: matrix-invite keygen [--version VERSION] [--server-name NAME] [--json]
       matrix-invite keygen --from KEYFILE --server-name NAME

Generates an ed25519 signing key and prints it as a Synapse signing key file line,
  ed25519 <version> <unpadded base64 seed>
so that "matrix-invite keygen > signing.key" writes a key file Synapse can use. Keep it secret.

Options:
  --version VERSION    the key version, [a-zA-Z0-9_]+ (default: a_ and four random letters, as Synapse)
  --server-name NAME   with --json: also print a keys file {NAME: {key ID: public key}} for verify/receive
  --json               print {"key_id", "public_key", "key_file_line", "keys"} instead of the line
  --from KEYFILE       generate nothing: print the public keys of an existing key file as a keys file
                       {NAME: {key ID: public key}} (needs --server-name)
  -h, --help           show this help

Exit codes: 0 ok, 2 usage (bad version).
`,
  options: {
    version: { type: 'string' },
    'server-name': { type: 'string' },
    json: { type: 'boolean' },
    from: { type: 'string' },
  },
  maxPositionals: 0,
  run: async (args, io) => {
    const from = stringOption(args, 'from');
    if (from !== undefined) {
      const serverName = stringOption(args, 'server-name');
      if (serverName === undefined) return E.left(usageFailure('--from needs --server-name'));
      const data = await readFileArg(io, from, 'signing key file');
      if (E.isLeft(data)) return data;
      const keys = parseSigningKeyFile(asText(data.right));
      if (E.isLeft(keys))
        return E.left(usageFailure(`signing key file ${JSON.stringify(from)}: ${keys.left.message}`));
      printJson(io, { [serverName]: Object.fromEntries(keys.right.map((k) => [k.keyId, k.publicKey])) });
      return E.right(EXIT_OK);
    }
    const generated = generateSigningKey({ version: stringOption(args, 'version') ?? randomKeyVersion() });
    if (E.isLeft(generated)) return E.left(usageFailure(generated.left.message));
    const { signingKey, keyFileLine } = generated.right;
    generated.right.seed.fill(0);
    if (args.values.json !== true) {
      io.stdout(keyFileLine);
      return E.right(EXIT_OK);
    }
    const serverName = stringOption(args, 'server-name');
    printJson(io, {
      key_id: signingKey.keyId,
      public_key: signingKey.publicKey,
      key_file_line: keyFileLine.trimEnd(),
      keys:
        serverName === undefined ? undefined : { [serverName]: { [signingKey.keyId]: signingKey.publicKey } },
    });
    return E.right(EXIT_OK);
  },
});
