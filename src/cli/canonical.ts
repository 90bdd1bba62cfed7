/** `matrix-invite canonical`: the Matrix canonical JSON of the input. */
import * as E from 'fp-ts/lib/Either.js';
import { encodeCanonicalJson } from '../json/canonical.js';
import { atPath, defineCommand, EXIT_OK, readJsonInput, rejected } from './io.js';

export const canonicalCommand = defineCommand({
  name: 'canonical',
  summary: 'print the Matrix canonical JSON of the input',
  help: `Usage: matrix-invite canonical [--strict] [--no-newline] [FILE]

Prints the Matrix canonical JSON of FILE (or stdin): the exact bytes that get hashed and signed.
The input is parsed losslessly, as Synapse parses it: big integers stay exact, 1.0 stays a float
(printed the way Python prints it), the last duplicate key wins.

Options:
  --strict        enforce the room version 6+ number rules: no floats, integers within +/-(2^53-1)
  -n, --no-newline  do not print a newline after the JSON (so the output is exactly the canonical bytes)
  -h, --help      show this help

Exit codes: 0 ok, 1 invalid JSON or (with --strict) not allowed in strict canonical JSON, 2 usage.
`,
  options: { strict: { type: 'boolean' }, 'no-newline': { type: 'boolean', short: 'n' } },
  run: async (args, io) => {
    const value = await readJsonInput(io, args.positionals[0]);
    if (E.isLeft(value)) return value;
    const encoded = encodeCanonicalJson(value.right, { strict: args.values.strict === true });
    if (E.isLeft(encoded)) {
      return E.left(
        rejected(
          `no ${args.values.strict === true ? 'strict ' : ''}canonical JSON form: ${encoded.left.message}${atPath(encoded.left.path)}`,
        ),
      );
    }
    io.stdout(args.values['no-newline'] === true ? encoded.right : `${encoded.right}\n`);
    return E.right(EXIT_OK);
  },
});
