/** `matrix-invite sign`: sign a JSON object, hash and sign an event you author, or countersign one you received. */
import * as E from 'fp-ts/lib/Either.js';
import { signJson } from '../crypto/json-signing.js';
import { countersignEvent, signEvent } from '../events/signing.js';
import type { JsonObject } from '../json/value.js';
import {
  atPath,
  defineCommand,
  EXIT_OK,
  eventModeOption,
  printJson,
  readJsonObjectInput,
  rejected,
  requiredOption,
  stringOption,
  usageFailure,
} from './io.js';
import { loadSigningKey } from './keys.js';

export const signCommand = defineCommand({
  name: 'sign',
  summary: 'sign a JSON object, or hash and sign an event (--event), or countersign one (--countersign)',
  help: `Usage: matrix-invite sign --server-name NAME --key KEYFILE [--key-id ID] [FILE]
       matrix-invite sign --event --room-version VERSION --server-name NAME --key KEYFILE [FILE]
       matrix-invite sign --event --countersign --room-version VERSION --server-name NAME --key KEYFILE [FILE]

Signs the JSON object in FILE (or stdin) and prints it with the signature merged into
signatures[NAME][key ID]. Other signatures and unsigned are kept.

With --event, the input is an event you author: hashes.sha256 is computed first (an existing one must
still match the content), then the redacted form of the event (room version VERSION) is signed, as a
homeserver signs the events it sends. With --countersign too, the input is an event you received: only
your signature is added, hashes are left as they are (as the invited server countersigns an invite).

Options:
  --server-name NAME       the signing server's name
  --key KEYFILE            a Synapse signing key file (ed25519 <version> <seed> lines)
  --key-id ID              which key of the file (ed25519:<version> or <version>; default: the first)
  --event                  sign as an event (needs --room-version)
  --countersign            with --event: add a signature to a received event, never touch hashes
  --room-version VERSION   the room version of the event
  -h, --help               show this help

Exit codes: 0 signed, 1 the input cannot be signed, 2 usage.
`,
  options: {
    'server-name': { type: 'string' },
    key: { type: 'string' },
    'key-id': { type: 'string' },
    event: { type: 'boolean' },
    countersign: { type: 'boolean' },
    'room-version': { type: 'string' },
  },
  run: async (args, io) => {
    const serverName = requiredOption(args, 'server-name');
    if (E.isLeft(serverName)) return serverName;
    const keyFile = requiredOption(args, 'key');
    if (E.isLeft(keyFile)) return keyFile;
    const eventMode = eventModeOption(args);
    if (E.isLeft(eventMode)) return eventMode;
    const roomVersion = eventMode.right;
    const countersign = args.values.countersign === true;
    if (countersign && roomVersion === undefined) return E.left(usageFailure('--countersign needs --event'));
    const key = await loadSigningKey(io, keyFile.right, stringOption(args, 'key-id'));
    if (E.isLeft(key)) return key;
    const input = await readJsonObjectInput(io, args.positionals[0]);
    if (E.isLeft(input)) return input;
    const signed: E.Either<
      { readonly message: string; readonly path: readonly (string | number)[] },
      JsonObject
    > =
      roomVersion === undefined
        ? signJson({ value: input.right, serverName: serverName.right, signingKey: key.right })
        : countersign
          ? countersignEvent({
              event: input.right,
              roomVersion,
              serverName: serverName.right,
              signingKey: key.right,
            })
          : signEvent({
              event: input.right,
              roomVersion,
              serverName: serverName.right,
              signingKey: key.right,
            });
    if (E.isLeft(signed))
      return E.left(rejected(`cannot sign: ${signed.left.message}${atPath(signed.left.path)}`));
    printJson(io, signed.right);
    return E.right(EXIT_OK);
  },
});
