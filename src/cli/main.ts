/**
 * `matrix-invite`: the command-line tool. {@link runCli} dispatches to the commands; `bin.ts` wires it to the
 * process.
 */
import { canonicalCommand } from './canonical.js';
import { conformanceCommand } from './conformance.js';
import { contentHashCommand } from './content-hash.js';
import { eventIdCommand } from './event-id.js';
import { explainCommand } from './explain.js';
import { type CliIo, type Command, EXIT_OK, EXIT_USAGE } from './io.js';
import { keygenCommand } from './keygen.js';
import { receiveCommand } from './receive.js';
import { redactCommand } from './redact.js';
import { roomIdCommand } from './room-id.js';
import { keysCommand } from './server-keys.js';
import { signCommand } from './sign.js';
import { verifyCommand } from './verify.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  canonicalCommand,
  contentHashCommand,
  redactCommand,
  eventIdCommand,
  roomIdCommand,
  keygenCommand,
  keysCommand,
  signCommand,
  verifyCommand,
  receiveCommand,
  explainCommand,
  conformanceCommand,
];

/** The top-level help text. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: matrix-invite <command> [options] [FILE]

Matrix federation invites from the command line, with Synapse's verdicts. JSON is read from FILE or
stdin and written to stdout; errors go to stderr.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "matrix-invite <command> --help" for a command's options.

Exit codes: 0 ok, 1 rejected or invalid input, 2 usage error.
`;
}

/** Runs the tool with `argv` (without `node` and the script) and returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo, version = 'unknown'): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    if (name === 'help' && rest[0] !== undefined) return runCli([rest[0], '--help'], io, version);
    (name === undefined ? io.stderr : io.stdout)(mainHelp());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${version}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr(
      `matrix-invite: unknown command ${JSON.stringify(name)}\nRun "matrix-invite --help" for the list.\n`,
    );
    return EXIT_USAGE;
  }
  return command.run(rest, io);
}
