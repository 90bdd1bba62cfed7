/**
 * The public surface, pinned: the runtime names of the root entry and of every subpath entry in package.json
 * `exports`. A change to any list here is a change to the package's API: make it deliberately (and list it in
 * CHANGELOG.md). Internals (generic helpers, codecs, prepared-event plumbing...) must not be exported anywhere.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Subpath → the source of its entry file and its runtime names, sorted. */
const ENTRIES: Readonly<Record<string, { readonly source: string; readonly names: readonly string[] }>> = {
  '.': {
    source: 'src/index.ts',
    names: [
      'ROOM_VERSIONS',
      'SPEC_ERROR_MAPPING',
      'SYNAPSE_COMPATIBLE_POLICY',
      'SYNAPSE_ERROR_MAPPING',
      'buildInviteEvent',
      'buildInviteRequest',
      'buildInviteRoomState',
      'buildServerKeys',
      'configureCrypto',
      'createServerKeyStore',
      'encodeCanonicalJson',
      'eventReference',
      'formatJsonPath',
      'generateSigningKey',
      'getRoomVersion',
      'interpretInviteError',
      'keyLookupFrom',
      'parseJson',
      'parseSigningKeyFile',
      'receiveInvite',
      'receiveInviteAsync',
      'shouldFallbackToV1',
      'signRequest',
      'signingKeyFromSeed',
      'toMatrixError',
      'verifyInviteResponse',
      'verifyInviteResponseAsync',
      'verifyRequest',
      'verifyRequestAsync',
      'verifyServerKeys',
    ],
  },
  './json': {
    source: 'src/json/index.ts',
    names: [
      'JsonFloat',
      'MAX_SAFE_CANONICAL_INTEGER',
      'checkStrictCanonicalJson',
      'compareCodePoints',
      'encodeCanonicalJson',
      'isJsonArray',
      'isJsonObject',
      'parseJson',
    ],
  },
  './base64': { source: 'src/encoding/index.ts', names: ['decodeBase64', 'encodeBase64'] },
  './room-versions': {
    source: 'src/room-versions/index.ts',
    names: [
      'KNOWN_ROOM_VERSION_IDS',
      'MAX_ROOM_VERSION_LENGTH',
      'REDACTION_V1',
      'REDACTION_V11',
      'REDACTION_V12',
      'REDACTION_V6',
      'REDACTION_V8',
      'REDACTION_V9',
      'ROOM_VERSIONS',
      'defineRoomVersion',
      'getRoomVersion',
      'isValidRoomVersionId',
    ],
  },
  './identifiers': {
    source: 'src/identifiers/index.ts',
    names: [
      'MAX_IDENTIFIER_BYTES',
      'isValidServerName',
      'isValidUserId',
      'parseEventId',
      'parseKeyId',
      'parseRoomId',
      'parseServerName',
      'parseUserId',
      'serverNameOf',
    ],
  },
  './events': {
    source: 'src/events/index.ts',
    names: [
      'MAX_EVENT_FIELD_BYTES',
      'MAX_KEY_VALIDITY_MS',
      'MAX_PDU_SIZE_BYTES',
      'POLICY_SERVER_KEY_ID',
      'checkContentHash',
      'checkEventLimits',
      'computeContentHash',
      'computeEventId',
      'computeReferenceHash',
      'computeRoomId',
      'countersignEvent',
      'eventReference',
      'redactEvent',
      'signEvent',
      'validatePduShape',
      'verifyEventSignatures',
      'verifyEventSignaturesAsync',
    ],
  },
  './crypto': {
    source: 'src/crypto/index.ts',
    names: [
      'ED25519_KEY_LENGTH',
      'ED25519_SIGNATURE_LENGTH',
      'availableBackends',
      'collectKeyRequests',
      'configureCrypto',
      'createWebCryptoSigner',
      'cryptoConfiguration',
      'decodeVerifyKey',
      'defaultBackend',
      'formatSigningKeyFile',
      'generateSigningKey',
      'keyLookupFrom',
      'parseSigningKeyFile',
      'publicKeyFromSeed',
      'runWithAsyncKeys',
      'signEd25519',
      'signJson',
      'signingBytes',
      'signingKeyFromSeed',
      'verifyEd25519',
      'verifyEd25519WebCrypto',
      'verifyJsonSignatures',
      'webCryptoEd25519Available',
    ],
  },
  './x-matrix': {
    source: 'src/x-matrix/index.ts',
    names: [
      'X_MATRIX_SCHEME',
      'formatXMatrixHeader',
      'parseXMatrixHeader',
      'signRequest',
      'verifyRequest',
      'verifyRequestAsync',
    ],
  },
  './server-keys': {
    source: 'src/server-keys/index.ts',
    names: ['buildKeyQueryRequest', 'buildServerKeys', 'createServerKeyStore', 'verifyServerKeys'],
  },
  './invite': {
    source: 'src/invite/index.ts',
    names: [
      'DEFAULT_MAX_BODY_BYTES',
      'DEFAULT_MAX_JSON_DEPTH',
      'INVITE_REJECTION_REASONS',
      'RECOMMENDED_INVITE_STATE_TYPES',
      'invitePath',
      'isUnknownEndpoint',
      'toStrippedStateEvent',
    ],
  },
  './conformance': {
    source: 'src/conformance/index.ts',
    names: [
      'CONFORMANCE_CASE_KINDS',
      'CONFORMANCE_CASE_TABLE',
      'CONFORMANCE_ROOM_VERSIONS',
      'DEFAULT_INVITER_SERVER_NAME',
      'DEFAULT_OTHER_SERVER_NAME',
      'conformanceServerKeys',
      'formatConformanceReport',
      'listConformanceCases',
      'runConformance',
    ],
  },
};

/** Names that must stay internal: generic helpers, plumbing and the names merged into others. */
const INTERNAL = [
  'runPasses',
  'readAsyncSettings',
  'unreadable',
  'settingsCopy',
  'lookUpVerifyKey',
  'isKeyValidAt',
  'jsonValueProblem',
  'resolveAsyncBackendName',
  'splitAsyncOptions',
  'hasWebCrypto',
  'ed25519OptionsOf',
  'checkedVerify',
  'backendVerifier',
  'resolveBackendName',
  'isBackendName',
  'getOwn',
  'hasOwn',
  'setOwn',
  'omitKeys',
  'withKey',
  'underPath',
  'contextToPath',
  'describeUnknown',
  'inviteError',
  'eventError',
  'sendError',
  'identifierError',
  'resolveRules',
  'resolveRoomVersion',
  'encodeCanonicalJsonBytes',
  'encodeCanonicalJsonReusing',
  'encodeCanonicalMembers',
  'encodeContentHashInput',
  'computeContentHashBytes',
  'canonicalBytesForHashing',
  'redactedForSigning',
  'prepareEvent',
  'verifyPreparedEvent',
  'signEventPrepared',
  'countersignInvite',
  'countersign',
  'countersignPrepared',
  'eventIdField',
  'eventIdFromReferenceHash',
  'redactContent',
  'StringC',
  'JsonObjectC',
  'IntegerC',
  'HashesC',
  'SignaturesC',
  'PduV1Codec',
  'PduV3Codec',
  'PduV12Codec',
  'makePduCodec',
  'pduCodecFor',
  'depthCodec',
  'reportPduIssues',
  'InviteV1RequestCodec',
  'InviteV2RequestCodec',
  'InviteRoomStateCodec',
  'parseInviteBody',
  'parseInviteV1Request',
  'parseInviteV2Request',
  'supportedRoomVersionTable',
  'validateInviteEvent',
  'checkInviteRoomState',
  'unverifiedInviteRoomState',
  'inviteRoomStateModeFor',
  'defaultInviteRoomStateMode',
  'buildInviteV1Response',
  'buildInviteV2Response',
  'encodeInviteResponse',
  'responseErrcode',
  'responseJsonObject',
  'quotePathSegment',
  'UNSTABLE_ERRCODES',
  'findLoneSurrogate',
  'utf8ByteLength',
  'isIpv6Address',
  'isStrictLocalpartChar',
  'pythonFloatRepr',
  'utf8Encode',
  'sha256',
  'passesLibsodiumPrechecks',
  'SMALL_ORDER_ENCODINGS',
  'BACKEND_PREFERENCE',
  'resolveBackendName',
  'isBackendAvailable',
  'createEd25519Signer',
  'signCanonicalBytes',
  'addSignature',
  'requestSigningObject',
  'signRequestSignature',
  'verifyJsonSignature',
  'formatSigningKeyLine',
  'parseKeyIdStrict',
  'isValidKeyVersion',
  'encodeBase64UrlSafe',
  'sortKeysByCodePoint',
  'checkEventSize',
  'checkEventFieldLimits',
  'ED25519',
  'UNSIGNED_TOP_LEVEL_KEYS',
  'CONTENT_HASH_EXCLUDED',
  'LIMITED_EVENT_FIELDS',
  'X_MATRIX_ERROR_STATUS',
  'matrixErrorBody',
  'serverKeysError',
  'markVerified',
  'lookupOfAnswer',
];

async function runtimeNames(source: string): Promise<string[]> {
  const module: Record<string, unknown> = await import(
    /* @vite-ignore */ pathToFileURL(`${repo}${source}`).href
  );
  return Object.keys(module).sort();
}

describe('public surface', () => {
  it('package.json exports exactly these entries, each with types and default', () => {
    const pkg = JSON.parse(readFileSync(`${repo}package.json`, 'utf8')) as {
      exports: Record<string, string | { types: string; default: string }>;
    };
    const entries = Object.entries(pkg.exports).filter(([key]) => key !== './package.json');
    expect(entries.map(([key]) => key).sort()).toEqual(Object.keys(ENTRIES).sort());
    for (const [key, target] of entries) {
      const source = ENTRIES[key]?.source as string;
      const dist = `./dist/${source.slice('src/'.length, -'.ts'.length)}`;
      expect(target, key).toEqual({ types: `${dist}.d.ts`, default: `${dist}.js` });
    }
  });

  it.each(Object.entries(ENTRIES))('%s exports exactly its pinned runtime names', async (_key, entry) => {
    expect(await runtimeNames(entry.source)).toEqual([...entry.names].sort());
  });

  it('the root entry stays about 30 runtime names', () => {
    const root = ENTRIES['.']?.names ?? [];
    expect(root.length).toBeGreaterThanOrEqual(20);
    expect(root.length).toBeLessThanOrEqual(35);
  });

  it('no entry exports an internal helper', async () => {
    for (const entry of Object.values(ENTRIES)) {
      const names = await runtimeNames(entry.source);
      expect(
        names.filter((name) => INTERNAL.includes(name)),
        entry.source,
      ).toEqual([]);
    }
  });
});
