/** Typed access to the upstream vectors copied from ../shared (test/fixtures/*.json). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('../fixtures/', import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: the vectors file is heterogeneous JSON, typed at use sites
export type Vector = Record<string, any>;

export interface VectorsFile {
  source_notes: string;
  keys: Record<string, Vector>;
  canonical_json: Vector[];
  json_signing: Vector[];
  event_signing: Vector[];
  event_ids: Vector[];
  room_ids: Vector[];
  base64: Vector[];
  negative: Vector[];
  request_paths: Vector[];
  x_matrix: Vector[];
  wire_examples: Vector[];
}

export const vectors: VectorsFile = JSON.parse(readFileSync(`${here}vectors.json`, 'utf8'));

export interface Ed25519Case {
  case: number;
  message: string;
  pub_key: string;
  signature: string;
  libsodium_accepts: boolean;
}

export const ed25519EdgeCases: Ed25519Case[] = JSON.parse(
  readFileSync(`${here}ed25519-edge-cases.json`, 'utf8'),
).cases;

export const hexToBytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
export const bytesToHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
