/**
 * Other homeservers' own test vectors (test/fixtures/peers/*.json): Synapse, gomatrixserverlib and ruma, each case
 * transcribed from the repository, file and test it names. The files are heterogeneous JSON typed at use sites.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('../fixtures/peers/', import.meta.url));

/** One transcribed upstream assertion; `kind` names what it exercises. */
// biome-ignore lint/suspicious/noExplicitAny: fixture cases are heterogeneous JSON, typed at use sites
export type PeerCase = Record<string, any> & {
  readonly id: string;
  readonly kind: string;
  readonly repository: string;
  readonly file: string;
  readonly test: string;
};

/** One source's fixture file. */
export interface PeerFixture {
  // biome-ignore lint/suspicious/noExplicitAny: see PeerCase
  readonly source: Record<string, any>;
  readonly notes: string;
  // biome-ignore lint/suspicious/noExplicitAny: see PeerCase
  readonly keys?: Record<string, Record<string, any>>;
  // biome-ignore lint/suspicious/noExplicitAny: see PeerCase
  readonly python_builder?: Record<string, any>;
  readonly references: readonly { vectors_json: string; file: string; test: string }[];
  readonly not_transcribed: readonly { file: string; test: string; reason: string }[];
  readonly cases: readonly PeerCase[];
}

/** The fixture files, by source name. */
export const PEER_SOURCES = ['synapse', 'gomatrixserverlib', 'ruma'] as const;

/** A source name. */
export type PeerSource = (typeof PEER_SOURCES)[number];

/** Reads one source's fixture file. */
export function loadPeerFixture(source: PeerSource): PeerFixture {
  return JSON.parse(readFileSync(`${here}${source}.json`, 'utf8')) as PeerFixture;
}

/** Every fixture, by source. */
export const peerFixtures: Readonly<Record<PeerSource, PeerFixture>> = Object.fromEntries(
  PEER_SOURCES.map((source) => [source, loadPeerFixture(source)]),
) as Record<PeerSource, PeerFixture>;
