/** `matrix-invite room-id`: the room ID of a room version 12 room, from its create event. */
import * as E from 'fp-ts/lib/Either.js';
import { computeRoomId } from '../events/hashes.js';
import {
  atPath,
  defineCommand,
  EXIT_OK,
  printJson,
  readJsonObjectInput,
  rejected,
  stringOption,
} from './io.js';

export const roomIdCommand = defineCommand({
  name: 'room-id',
  summary: 'compute the room ID of a room version 12 room from its m.room.create event',
  help: `Usage: matrix-invite room-id [--room-version VERSION] [FILE]

Prints {"room_id": "!...", "create_event_id": "$..."} for the m.room.create event in FILE (or stdin).
From room version 12 the room ID is the create event's ID with "!" instead of "$".

Options:
  --room-version VERSION   a room version whose room IDs derive from the create event (default "12")
  -h, --help               show this help

Exit codes: 0 ok, 1 not a create event or the room version does not derive room IDs, 2 usage.
`,
  options: { 'room-version': { type: 'string' } },
  run: async (args, io) => {
    const event = await readJsonObjectInput(io, args.positionals[0], 'the create event');
    if (E.isLeft(event)) return event;
    const roomId = computeRoomId(event.right, stringOption(args, 'room-version') ?? '12');
    if (E.isLeft(roomId)) return E.left(rejected(`${roomId.left.message}${atPath(roomId.left.path)}`));
    printJson(io, { room_id: roomId.right, create_event_id: `$${roomId.right.slice(1)}` });
    return E.right(EXIT_OK);
  },
});
