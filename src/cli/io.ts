/**
 * The command-line tool's plumbing: injected I/O, exit codes, argument parsing, reading input and printing JSON.
 *
 * Commands are pure functions `(args, io) => Promise<number>`: everything they touch goes through {@link CliIo},
 * so tests call them directly with strings in and strings out.
 */
import { readFile } from 'node:fs/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import * as E from 'fp-ts/lib/Either.js';
import { formatJsonPath } from '../errors/base.js';
import { encodeCanonicalJson } from '../json/canonical.js';
import { parseJson } from '../json/parse.js';
import { isJsonArray, isJsonObject, JsonFloat, type JsonObject, type JsonValue } from '../json/value.js';

/** Exit code: success (valid, verified, accepted). */
export const EXIT_OK = 0;
/** Exit code: the input was rejected or is invalid (bad JSON, failed signature, refused invite...). */
export const EXIT_REJECTED = 1;
/** Exit code: the command line was wrong (unknown option, missing argument, unreadable file). */
export const EXIT_USAGE = 2;

/** Everything a command may touch. */
export interface CliIo {
  /** Reads all of standard input. */
  readonly stdin: () => Promise<string | Uint8Array>;
  /** Writes to standard output (text is written as is: add the newline yourself). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** Reads a file. */
  readonly readFile: (path: string) => Promise<string | Uint8Array>;
}

/** A command of the tool. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
}

/** The process's I/O. */
export function nodeIo(): CliIo {
  return {
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin)
        chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      return new Uint8Array(Buffer.concat(chunks));
    },
    stdout: (text) => {
      process.stdout.write(text);
    },
    stderr: (text) => {
      process.stderr.write(text);
    },
    readFile: async (path) => new Uint8Array(await readFile(path)),
  };
}

/** A failure that ends a command with an exit code and a message on stderr. */
export interface Failure {
  readonly exitCode: number;
  readonly message: string;
}

export const usageFailure = (message: string): Failure => ({ exitCode: EXIT_USAGE, message });
export const rejected = (message: string): Failure => ({ exitCode: EXIT_REJECTED, message });

/** Prints a failure to stderr (`matrix-invite <command>: <message>`) and returns its exit code. */
export function fail(io: CliIo, command: string, failure: Failure): number {
  io.stderr(`matrix-invite ${command}: ${failure.message}\n`);
  if (failure.exitCode === EXIT_USAGE) io.stderr(`Try 'matrix-invite ${command} --help'.\n`);
  return failure.exitCode;
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Parsed arguments: string and boolean option values, and the positionals. */
export interface ParsedArgs {
  /** Each option's value; for an option given several times, the last one. */
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  /** Every value of the options declared `multiple` (e.g. repeated `--keys`), in command-line order. */
  readonly lists: Readonly<Record<string, readonly string[]>>;
  readonly positionals: readonly string[];
}

/**
 * `node:util` `parseArgs` in strict mode, never throwing: an unknown option or a missing value is a usage failure.
 * `--help`/`-h` is always accepted.
 */
export function parseCommandArgs(
  args: readonly string[],
  options: OptionsConfig,
  maxPositionals: number,
): E.Either<Failure, ParsedArgs> {
  try {
    const parsed = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.positionals.length > maxPositionals) {
      return E.left(
        usageFailure(`unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])}`),
      );
    }
    const values: Record<string, string | boolean | undefined> = {};
    const lists: Record<string, readonly string[]> = {};
    for (const [key, value] of Object.entries(parsed.values)) {
      values[key] = Array.isArray(value) ? value[value.length - 1] : value;
      if (Array.isArray(value)) lists[key] = value.filter((v): v is string => typeof v === 'string');
    }
    return E.right({ values, lists, positionals: parsed.positionals });
  } catch (error) {
    return E.left(usageFailure(error instanceof Error ? error.message : String(error)));
  }
}

/** A string option's value, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Every value of a repeatable (`multiple`) string option, in order; empty when it was not given. */
export function stringListOption(args: ParsedArgs, name: string): readonly string[] {
  const list = args.lists[name];
  if (list !== undefined) return list.filter((value) => value !== '');
  const value = stringOption(args, name);
  return value === undefined || value === '' ? [] : [value];
}

/** A required string option. */
export function requiredOption(args: ParsedArgs, name: string): E.Either<Failure, string> {
  const value = stringOption(args, name);
  return value === undefined || value === '' ? E.left(usageFailure(`--${name} is required`)) : E.right(value);
}

/**
 * `--event` with `--room-version` (the input is an event of that room version), or neither (plain JSON): the
 * room version, or undefined for plain JSON.
 */
export function eventModeOption(args: ParsedArgs): E.Either<Failure, string | undefined> {
  const roomVersion = stringOption(args, 'room-version');
  const asEvent = args.values.event === true;
  if (asEvent && roomVersion === undefined) return E.left(usageFailure('--event needs --room-version'));
  if (!asEvent && roomVersion !== undefined)
    return E.left(usageFailure('--room-version only applies with --event'));
  return E.right(roomVersion);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Bytes or text as text (invalid UTF-8 becomes U+FFFD; use {@link readJsonInput} for a strict read). */
export function asText(data: string | Uint8Array): string {
  return typeof data === 'string' ? data : utf8.decode(data);
}

/** Reads a file, turning an I/O error into a usage failure. */
export async function readFileArg(
  io: CliIo,
  path: string,
  what: string,
): Promise<E.Either<Failure, string | Uint8Array>> {
  try {
    return E.right(await io.readFile(path));
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? ` (${String(error.code)})` : '';
    return E.left(usageFailure(`cannot read ${what} ${JSON.stringify(path)}${code}`));
  }
}

/** Reads the input: the file named by the positional argument, or stdin when there is none or it is `-`. */
export async function readInput(
  io: CliIo,
  file: string | undefined,
): Promise<E.Either<Failure, string | Uint8Array>> {
  if (file === undefined || file === '-') {
    try {
      return E.right(await io.stdin());
    } catch (error) {
      return E.left(
        usageFailure(`cannot read stdin: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }
  return readFileArg(io, file, 'input file');
}

/** Parses JSON losslessly (big integers, floats and duplicate keys as Synapse sees them). Bad JSON is a rejection. */
export function parseJsonInput(data: string | Uint8Array, what = 'input'): E.Either<Failure, JsonValue> {
  const parsed = parseJson(data);
  if (E.isLeft(parsed)) {
    // The parser's message already ends with "(at byte N)".
    return E.left(rejected(`${what} is not valid JSON: ${parsed.left.message}`));
  }
  return parsed;
}

/** Reads and parses the JSON input (file argument or stdin). */
export async function readJsonInput(
  io: CliIo,
  file: string | undefined,
): Promise<E.Either<Failure, JsonValue>> {
  const data = await readInput(io, file);
  return E.isLeft(data) ? data : parseJsonInput(data.right);
}

/** Reads JSON input that must be an object. */
export async function readJsonObjectInput(
  io: CliIo,
  file: string | undefined,
  what = 'input',
): Promise<E.Either<Failure, JsonObject>> {
  const value = await readJsonInput(io, file);
  if (E.isLeft(value)) return value;
  return isJsonObject(value.right) ? E.right(value.right) : E.left(rejected(`${what} must be a JSON object`));
}

/** ` at $.a.b` for a non-empty path, else ''. */
export function atPath(path: readonly (string | number)[]): string {
  return path.length === 0 ? '' : ` at ${formatJsonPath(path)}`;
}

function scalar(value: JsonValue): string {
  const encoded = encodeCanonicalJson(value);
  return E.isRight(encoded) ? encoded.right : JSON.stringify(String(value));
}

/**
 * Formats a value as JSON, keeping what `JSON.stringify` cannot: big integers exactly, floats the way Python prints
 * them. Object keys keep their order; `undefined` members are left out. `indent` 0 gives one line.
 */
export function formatJson(value: unknown, indent = 2, depth = 0): string {
  if (value === undefined) return 'null';
  if (
    value === null ||
    typeof value === 'boolean' ||
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    typeof value === 'string' ||
    value instanceof JsonFloat
  ) {
    return scalar(value);
  }
  const pad = indent === 0 ? '' : `\n${' '.repeat(indent * (depth + 1))}`;
  const end = indent === 0 ? '' : `\n${' '.repeat(indent * depth)}`;
  const colon = indent === 0 ? ':' : ': ';
  if (isJsonArray(value) || Array.isArray(value)) {
    const items: readonly unknown[] = value;
    if (items.length === 0) return '[]';
    return `[${items.map((item) => pad + formatJson(item, indent, depth + 1)).join(',')}${end}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{${entries.map(([k, v]) => `${pad}${scalar(k)}${colon}${formatJson(v, indent, depth + 1)}`).join(',')}${end}}`;
  }
  return JSON.stringify(String(value));
}

/** Writes a value as pretty JSON plus a newline to stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${formatJson(value)}\n`);
}

/** Shows the help text when `--help` was given; returns true if it did. */
export function showHelp(io: CliIo, args: ParsedArgs, help: string): boolean {
  if (args.values.help !== true) return false;
  io.stdout(help.endsWith('\n') ? help : `${help}\n`);
  return true;
}

/**
 * Runs a command body, turning a `Left(Failure)` into its message and exit code. A thrown exception (a bug: nothing
 * here should throw on input) is reported as a rejection rather than a stack trace.
 */
export async function runCommand(
  io: CliIo,
  name: string,
  body: () => Promise<E.Either<Failure, number>>,
): Promise<number> {
  try {
    const result = await body();
    return E.isLeft(result) ? fail(io, name, result.left) : result.right;
  } catch (error) {
    return fail(
      io,
      name,
      rejected(`internal error: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}

/** What {@link defineCommand} needs. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  readonly options: OptionsConfig;
  /** How many positional arguments are allowed (normally 1: the input file). */
  readonly maxPositionals?: number;
  readonly run: (args: ParsedArgs, io: CliIo) => Promise<E.Either<Failure, number>>;
}

/** Builds a {@link Command}: parses the arguments, handles `--help`, runs the body and reports failures. */
export function defineCommand(spec: CommandSpec): Command {
  const run = (argv: readonly string[], io: CliIo): Promise<number> =>
    runCommand(io, spec.name, async () => {
      const args = parseCommandArgs(argv, spec.options, spec.maxPositionals ?? 1);
      if (E.isLeft(args)) return args;
      if (showHelp(io, args.right, spec.help)) return E.right(EXIT_OK);
      return spec.run(args.right, io);
    });
  return { name: spec.name, summary: spec.summary, help: spec.help, run };
}
