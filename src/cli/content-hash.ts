/** `matrix-invite content-hash`: the content hash of an event, compared with its `hashes.sha256`. */
import * as E from 'fp-ts/lib/Either.js';
import { checkContentHash, computeContentHash } from '../events/hashes.js';
import {
  atPath,
  defineCommand,
  EXIT_OK,
  EXIT_REJECTED,
  printJson,
  readJsonObjectInput,
  rejected,
} from './io.js';

export const contentHashCommand = defineCommand({
  name: 'content-hash',
  summary: "compute an event's content hash and compare it with hashes.sha256",
  help: `Usage: matrix-invite content-hash [FILE]

Computes the SHA-256 content hash of the event in FILE (or stdin): canonical JSON of the event without
its top-level unsigned, signatures and hashes, hashed, in unpadded base64. Prints
  {"sha256": "<computed>", "received": "<hashes.sha256>", "matches": true|false}
("received" and "matches" only when the event carries hashes; a malformed hashes gives "error").

Options:
  -h, --help   show this help

Exit codes: 0 computed (and matches, when the event carries a hash), 1 the event's hash does not match
or the input is not an event, 2 usage.
`,
  options: {},
  run: async (args, io) => {
    const event = await readJsonObjectInput(io, args.positionals[0], 'the event');
    if (E.isLeft(event)) return event;
    const hash = computeContentHash(event.right);
    if (E.isLeft(hash)) return E.left(rejected(`${hash.left.message}${atPath(hash.left.path)}`));
    if (!Object.hasOwn(event.right, 'hashes')) {
      printJson(io, { sha256: hash.right });
      return E.right(EXIT_OK);
    }
    // The received hash is decoded as Synapse's lenient check does (padding or URL-safe alphabet tolerated).
    const check = checkContentHash(event.right);
    if (E.isLeft(check)) {
      printJson(io, { sha256: hash.right, matches: false, error: check.left.message });
      return E.right(EXIT_REJECTED);
    }
    const matches = check.right.matches;
    printJson(io, { sha256: hash.right, received: check.right.actual, matches });
    return E.right(matches ? EXIT_OK : EXIT_REJECTED);
  },
});
