/** `matrix-invite event-id`: the event ID of an event (room versions 3+). */
import * as E from 'fp-ts/lib/Either.js';
import { computeEventId } from '../events/hashes.js';
import {
  atPath,
  defineCommand,
  EXIT_OK,
  printJson,
  readJsonObjectInput,
  rejected,
  requiredOption,
} from './io.js';

export const eventIdCommand = defineCommand({
  name: 'event-id',
  summary: 'compute the event ID (reference hash) of an event',
  help: `Usage: matrix-invite event-id --room-version VERSION [FILE]

Prints {"event_id": "$..."} for the event in FILE (or stdin): "$" + the unpadded base64 SHA-256 of the
canonical JSON of the redacted event without signatures and unsigned (standard alphabet in room
version 3, URL-safe from 4). Room versions 1 and 2 carry event_id in the event instead: that is an error.

Options:
  --room-version VERSION   the room version ("3" to "12")
  -h, --help               show this help

Exit codes: 0 ok, 1 no event ID can be computed, 2 usage.
`,
  options: { 'room-version': { type: 'string' } },
  run: async (args, io) => {
    const roomVersion = requiredOption(args, 'room-version');
    if (E.isLeft(roomVersion)) return roomVersion;
    const event = await readJsonObjectInput(io, args.positionals[0], 'the event');
    if (E.isLeft(event)) return event;
    const eventId = computeEventId(event.right, roomVersion.right);
    if (E.isLeft(eventId)) return E.left(rejected(`${eventId.left.message}${atPath(eventId.left.path)}`));
    printJson(io, { event_id: eventId.right });
    return E.right(EXIT_OK);
  },
});
