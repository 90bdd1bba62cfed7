/** `matrix-invite redact`: the redacted form of an event (what signatures and event IDs cover). */
import * as E from 'fp-ts/lib/Either.js';
import { redactEvent } from '../events/redaction.js';
import {
  atPath,
  defineCommand,
  EXIT_OK,
  printJson,
  readJsonObjectInput,
  rejected,
  requiredOption,
} from './io.js';

export const redactCommand = defineCommand({
  name: 'redact',
  summary: "redact an event with a room version's redaction algorithm",
  help: `Usage: matrix-invite redact --room-version VERSION [FILE]

Prints the event in FILE (or stdin) put through the redaction algorithm of room version VERSION.
Signatures and reference hashes (event IDs) cover this form, minus signatures and unsigned.

Options:
  --room-version VERSION   the room version ("1" to "12")
  -h, --help               show this help

Exit codes: 0 ok, 1 the input cannot be redacted (no type, no content object...) or the room version is
unknown, 2 usage.
`,
  options: { 'room-version': { type: 'string' } },
  run: async (args, io) => {
    const roomVersion = requiredOption(args, 'room-version');
    if (E.isLeft(roomVersion)) return roomVersion;
    const event = await readJsonObjectInput(io, args.positionals[0], 'the event');
    if (E.isLeft(event)) return event;
    const redacted = redactEvent(event.right, roomVersion.right);
    if (E.isLeft(redacted)) return E.left(rejected(`${redacted.left.message}${atPath(redacted.left.path)}`));
    printJson(io, redacted.right);
    return E.right(EXIT_OK);
  },
});
