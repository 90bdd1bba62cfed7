/** In-memory I/O for calling the CLI's command functions directly. */
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { vectors } from '../helpers/fixtures.js';

export interface MemoryIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
  /** stdout parsed as JSON (plain JSON.parse: fine for the small values tests compare). */
  readonly json: () => unknown;
}

export function memoryIo(
  files: Record<string, string | Uint8Array> = {},
  stdin: string | Uint8Array = '',
): MemoryIo {
  let out = '';
  let err = '';
  return {
    stdin: async () => stdin,
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return content;
    },
    out: () => out,
    err: () => err,
    json: () => JSON.parse(out),
  };
}

/** Runs `matrix-invite ...args` and returns the exit code with the captured output. */
export async function run(
  args: readonly string[],
  files: Record<string, string | Uint8Array> = {},
  stdin: string | Uint8Array = '',
): Promise<{ code: number; io: MemoryIo }> {
  const io = memoryIo(files, stdin);
  const code = await runCli(args, io, '9.9.9');
  return { code, io };
}

const spec = vectors.keys.spec as { seed: string; public_key: string };
const invitee = vectors.keys.invitee_bytes_0_31 as { seed: string; public_key: string };

/** The spec key (inviter.example, ed25519:1) and the invitee key (invitee.example, ed25519:2) as files. */
export const KEY_FILES = {
  'inviter.key': `ed25519 1 ${spec.seed}\n`,
  'invitee.key': `ed25519 2 ${invitee.seed}\n`,
  'keys.json': JSON.stringify({
    'inviter.example': { 'ed25519:1': spec.public_key },
    'invitee.example': { 'ed25519:2': invitee.public_key },
  }),
} as const;

export const INVITE_V10 = vectors.event_signing.find((v) => v.id === 'invite-v10') as {
  input_json_text: string;
  expected_hashes_sha256: string;
  expected_signature: string;
  expected_signed_bytes: string;
  expected_event_id: string;
};
