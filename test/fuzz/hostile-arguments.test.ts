/**
 * Every function exported by an entry point of the package (`src/index.ts` and the subpath entries of package.json
 * `exports`), and the internal functions they are built from, handed hostile JavaScript values in place of each
 * parameter (issue #10, defect 4): `null`, `undefined`, a number, `NaN`, an object whose every property read throws,
 * a Proxy that throws on every trap, and a function that throws. Nothing may throw (and no promise may reject):
 * functions that can fail answer a `Left`, the others a value. Three passes: every other argument `undefined`; every
 * other argument valid (a fixture per function, so the hostile value is reached); and, for valid object arguments,
 * each of their own properties replaced in turn.
 */
import { types } from 'node:util';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import * as conformanceEntry from '../../src/conformance/index.js';
import * as backends from '../../src/crypto/backends.js';
import * as ed25519 from '../../src/crypto/ed25519.js';
import * as cryptoEntry from '../../src/crypto/index.js';
import * as jsonSigning from '../../src/crypto/json-signing.js';
import * as keysModule from '../../src/crypto/keys.js';
import * as libsodiumChecks from '../../src/crypto/libsodium-checks.js';
import * as sha from '../../src/crypto/sha256.js';
import * as base64Entry from '../../src/encoding/index.js';
import * as errorsMatrix from '../../src/errors/matrix.js';
import * as eventErrors from '../../src/events/errors.js';
import * as hashes from '../../src/events/hashes.js';
import * as eventsEntry from '../../src/events/index.js';
import * as limits from '../../src/events/limits.js';
import * as pdu from '../../src/events/pdu.js';
import * as prepared from '../../src/events/prepared.js';
import * as redaction from '../../src/events/redaction.js';
import * as signing from '../../src/events/signing.js';
import * as verify from '../../src/events/verify.js';
import * as identifierCommon from '../../src/identifiers/common.js';
import * as identifiersEntry from '../../src/identifiers/index.js';
import * as serverName from '../../src/identifiers/server-name.js';
import * as userId from '../../src/identifiers/user-id.js';
import * as root from '../../src/index.js';
import * as inviteEntry from '../../src/invite/index.js';
import * as receiveCountersign from '../../src/invite/receive/countersign.js';
import * as receiveReasons from '../../src/invite/receive/reasons.js';
import * as receiveRequest from '../../src/invite/receive/request.js';
import * as receiveResponse from '../../src/invite/receive/response.js';
import * as roomState from '../../src/invite/receive/room-state.js';
import * as validate from '../../src/invite/receive/validate.js';
import * as sendCommon from '../../src/invite/send/common.js';
import * as sendFallback from '../../src/invite/send/fallback.js';
import * as sendRequest from '../../src/invite/send/request.js';
import * as canonical from '../../src/json/canonical.js';
import * as jsonEntry from '../../src/json/index.js';
import * as pythonFloat from '../../src/json/python-float.js';
import * as utf8 from '../../src/json/utf8.js';
import * as value from '../../src/json/value.js';
import * as roomVersionsEntry from '../../src/room-versions/index.js';
import * as serverKeysEntry from '../../src/server-keys/index.js';
import * as xMatrixEntry from '../../src/x-matrix/index.js';
import * as xMatrixSign from '../../src/x-matrix/sign.js';
import {
  context,
  eventIdOf,
  INVITEE,
  INVITER,
  inviteeKey,
  inviterKey,
  keys,
  requestFor,
  right,
  roomStateFor,
  signedInvite,
} from '../invite/helpers.js';

/** An object whose every property read (own or inherited) throws; it has no own keys. */
function throwingGetters(): object {
  const trap = new Proxy(
    {},
    {
      get(_target, key) {
        throw new Error(`hostile getter ${String(key)}`);
      },
    },
  );
  const object = Object.create(trap) as Record<string, unknown>;
  // Own enumerable getters too, so that key walks (Object.keys + read) hit them.
  for (const key of ['event', 'key', 'type', 'content', 'signatures', 'body', 'now', 'id', 'sign', 'keyId']) {
    Object.defineProperty(object, key, {
      enumerable: true,
      get() {
        throw new Error(`hostile getter ${key}`);
      },
    });
  }
  return object;
}

/** A Proxy whose every trap throws (typeof, ===, instanceof of an ordinary object still work on it). */
function throwingProxy(): object {
  const thrower = (name: string) => () => {
    throw new Error(`hostile proxy trap ${name}`);
  };
  const traps = [
    'get',
    'set',
    'has',
    'deleteProperty',
    'ownKeys',
    'getOwnPropertyDescriptor',
    'defineProperty',
    'getPrototypeOf',
    'setPrototypeOf',
    'isExtensible',
    'preventExtensions',
    'apply',
    'construct',
  ] as const;
  return new Proxy({}, Object.fromEntries(traps.map((t) => [t, thrower(t)])) as ProxyHandler<object>);
}

const HOSTILE: readonly (readonly [string, () => unknown])[] = [
  ['null', () => null],
  ['undefined', () => undefined],
  ['a number', () => 42],
  ['NaN', () => Number.NaN],
  ['a throwing-getter object', throwingGetters],
  ['a throwing Proxy', throwingProxy],
  [
    'a throwing function',
    () => () => {
      throw new Error('hostile function');
    },
  ],
];

type Fn = (...args: unknown[]) => unknown;

function isClass(fn: Fn): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/**
 * Calls `fn` (with `new` for classes) and awaits a promise it returns; the test fails with the function's name when
 * it throws or the promise rejects. The result comes boxed: an async function returning a hostile Proxy would read
 * its `then` when resolving.
 */
async function expectNoThrow(
  name: string,
  fn: Fn,
  args: readonly unknown[],
  what: string,
): Promise<{ readonly result: unknown }> {
  try {
    const result = isClass(fn) ? Reflect.construct(fn, args) : fn(...args);
    // isPromise reads no property: a hostile Proxy returned as is (getOwn's answer) runs none of its traps.
    return { result: types.isPromise(result) ? await result : result };
  } catch (error) {
    expect.fail(`${name}(${what}) threw: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const ENTRIES = [
  root,
  jsonEntry,
  base64Entry,
  roomVersionsEntry,
  identifiersEntry,
  eventsEntry,
  cryptoEntry,
  xMatrixEntry,
  serverKeysEntry,
  inviteEntry,
  conformanceEntry,
];

/** The internal functions swept too (not exported by any entry; issue #10 hardened them). */
const INTERNAL: Record<string, unknown> = {
  addSignature: jsonSigning.addSignature,
  buildInviteV1Response: receiveResponse.buildInviteV1Response,
  buildInviteV2Response: receiveResponse.buildInviteV2Response,
  canonicalBytesForHashing: prepared.canonicalBytesForHashing,
  checkEventFieldLimits: limits.checkEventFieldLimits,
  checkEventSize: limits.checkEventSize,
  checkInviteRoomState: roomState.checkInviteRoomState,
  computeContentHashBytes: hashes.computeContentHashBytes,
  contextToPath: pdu.contextToPath,
  countersignInvite: receiveCountersign.countersignInvite,
  countersignPrepared: signing.countersignPrepared,
  createEd25519Signer: ed25519.createEd25519Signer,
  defaultInviteRoomStateMode: roomState.defaultInviteRoomStateMode,
  depthCodec: pdu.depthCodec,
  encodeCanonicalJsonBytes: canonical.encodeCanonicalJsonBytes,
  encodeCanonicalBytesReusing: canonical.encodeCanonicalBytesReusing,
  encodeCanonicalMembers: canonical.encodeCanonicalMembers,
  encodeContentHashInput: hashes.encodeContentHashInput,
  encodeInviteResponse: receiveResponse.encodeInviteResponse,
  eventError: eventErrors.eventError,
  eventIdField: prepared.eventIdField,
  eventIdFromReferenceHash: prepared.eventIdFromReferenceHash,
  findLoneSurrogate: identifierCommon.findLoneSurrogate,
  formatSigningKeyLine: keysModule.formatSigningKeyLine,
  getOwn: value.getOwn,
  hasOwn: value.hasOwn,
  inviteError: receiveReasons.inviteError,
  inviteRoomStateModeFor: roomState.inviteRoomStateModeFor,
  isBackendAvailable: backends.isBackendAvailable,
  isIpv6Address: serverName.isIpv6Address,
  isStrictLocalpartChar: userId.isStrictLocalpartChar,
  isValidKeyVersion: keysModule.isValidKeyVersion,
  makePduCodec: pdu.makePduCodec,
  matrixErrorBody: errorsMatrix.matrixErrorBody,
  omitKeys: value.omitKeys,
  parseInviteBody: receiveRequest.parseInviteBody,
  parseInviteV1Request: receiveRequest.parseInviteV1Request,
  parseInviteV2Request: receiveRequest.parseInviteV2Request,
  passesLibsodiumPrechecks: libsodiumChecks.passesLibsodiumPrechecks,
  pduCodecFor: pdu.pduCodecFor,
  prepareEvent: prepared.prepareEvent,
  pythonFloatRepr: pythonFloat.pythonFloatRepr,
  quotePathSegment: sendRequest.quotePathSegment,
  redactContent: redaction.redactContent,
  redactedForSigning: prepared.redactedForSigning,
  reportPduIssues: pdu.reportPduIssues,
  requestSigningObject: xMatrixSign.requestSigningObject,
  resolveBackendName: backends.resolveBackendName,
  resolveRules: eventErrors.resolveRules,
  responseErrcode: sendFallback.responseErrcode,
  responseJsonObject: sendFallback.responseJsonObject,
  sendError: sendCommon.sendError,
  setOwn: value.setOwn,
  sha256: sha.sha256,
  signCanonicalBytes: jsonSigning.signCanonicalBytes,
  signEventPrepared: signing.signEventPrepared,
  signRequestSignature: xMatrixSign.signRequestSignature,
  sortKeysByCodePoint: canonical.sortKeysByCodePoint,
  supportedRoomVersionTable: receiveRequest.supportedRoomVersionTable,
  underPath: receiveReasons.underPath,
  unverifiedInviteRoomState: roomState.unverifiedInviteRoomState,
  utf8Encode: utf8.utf8Encode,
  validateInviteEvent: validate.validateInviteEvent,
  verifyJsonSignature: jsonSigning.verifyJsonSignature,
  verifyPreparedEvent: verify.verifyPreparedEvent,
  withKey: value.withKey,
};

const FUNCTIONS: readonly [string, Fn][] = [
  ...new Map(
    [...ENTRIES.flatMap((entry) => Object.entries(entry)), ...Object.entries(INTERNAL)].filter(
      (entry): entry is [string, Fn] => typeof entry[1] === 'function',
    ),
  ),
].sort(([a], [b]) => a.localeCompare(b));

/**
 * The checks `runWithAsyncKeys` and `collectKeyRequests` run are the caller's own code, typed as a function and
 * documented as "must not throw": nothing hostile is handed in their place (a throw there is the caller's own
 * exception, propagated as it is). Their other arguments are swept like any other.
 */
const CALLBACK_POSITIONS: Readonly<Record<string, number>> = { runWithAsyncKeys: 0, collectKeyRequests: 0 };
const skipped = (name: string, position: number): boolean => CALLBACK_POSITIONS[name] === position;

/** How many arguments to try: the declared ones plus two (parameters with defaults do not count in `length`). */
const arityOf = (fn: Fn): number => Math.min(Math.max(fn.length, 1) + 2, 5);

describe('every export, hostile arguments with the others undefined', () => {
  it('finds the exports', () => {
    expect(FUNCTIONS.length).toBeGreaterThan(130);
  });

  for (const [name, fn] of FUNCTIONS) {
    it(`${name} never throws`, async () => {
      const arity = arityOf(fn);
      for (let position = 0; position < arity; position++) {
        for (const [label, make] of HOSTILE) {
          if (skipped(name, position)) continue;
          const args: unknown[] = new Array(arity).fill(undefined);
          const callback = CALLBACK_POSITIONS[name];
          if (callback !== undefined) args[callback] = VALID[name]?.[callback];
          args[position] = make();
          await expectNoThrow(name, fn, args, `argument ${position} = ${label}`);
        }
      }
    });
  }
});

/** A conformance run of one case against a target that answers 500: a report to format. */
const CONFORMANCE_OPTIONS = {
  targetServerName: 'hs.test',
  invitee: '@bob:hs.test',
  send: async () => ({ status: 500, body: '{}' }),
  targetKeys: keys,
  cases: [conformanceEntry.listConformanceCases(['10'])[0]?.id as string],
  now: 1_700_000_000_000,
};
const CONFORMANCE_REPORT = right(await conformanceEntry.runConformance(CONFORMANCE_OPTIONS));

/** Valid arguments of every function: hostile values replace one of them at a time, so that they are reached. */
function validArguments(): Record<string, readonly unknown[]> {
  const rv10 = root.ROOM_VERSIONS['10'] as root.RoomVersionRules;
  const invite = signedInvite('10');
  const preparedInvite = right(prepared.prepareEvent(invite, '10'));
  const seed = new Uint8Array(32).fill(1);
  const message = new Uint8Array([1, 2, 3]);
  const signature = right(cryptoEntry.signEd25519({ seed, message }));
  const publicKey = right(cryptoEntry.publicKeyFromSeed(seed));
  const request = requestFor('v2', '10', invite);
  const state = roomStateFor('10');
  const eventId = eventIdOf(invite, '10');
  const xRequest = {
    method: 'PUT',
    uri: '/_matrix/federation/v2/invite/%21room%3Ainviter.example/%24x',
    origin: INVITER,
    destination: INVITEE,
    content: { a: 1 },
  };
  const header = right(root.signRequest(xRequest, inviterKey));
  const inviteParams = {
    roomVersion: '10',
    roomId: `!room:${INVITER}`,
    sender: `@alice:${INVITER}`,
    invitee: `@bob:${INVITEE}`,
    originServerTs: 1_700_000_000_000,
    depth: 10,
    authEvents: ['$auth'],
    prevEvents: ['$prev'],
  };
  const built = right(root.buildInviteEvent({ ...inviteParams, signingKey: inviterKey }));
  const countersigned = right(
    eventsEntry.countersignEvent({
      event: built.event,
      roomVersion: '10',
      serverName: INVITEE,
      signingKey: inviteeKey,
    }),
  );
  const validated = right(
    validate.validateInviteEvent(invite, rv10, { origin: INVITER, serverName: INVITEE, keys }),
  );
  const signedObject = right(
    cryptoEntry.signJson({ value: { a: 1 }, serverName: INVITER, signingKey: inviterKey }),
  );
  const serverKeys = right(
    root.buildServerKeys({ serverName: INVITER, signingKey: inviterKey, validUntilTs: 1_700_000_000_000 }),
  );
  const verifiedServerKeys = right(
    root.verifyServerKeys(serverKeys.bytes, { serverName: INVITER, now: 1_600_000_000_000 }),
  );
  const asyncKeys = async (server: string, keyId: string) => keys(server, keyId);
  return {
    addSignature: [{ a: 1 }, INVITER, 'ed25519:1', 'c2ln'],
    availableBackends: [],
    buildInviteEvent: [{ ...inviteParams, content: { displayname: 'Bob' }, signingKey: inviterKey }],
    buildInviteRequest: [{ apiVersion: 'v2', roomVersion: '10', event: built.event, inviteRoomState: state }],
    buildInviteRoomState: [{ state, roomVersion: '10', inviter: `@alice:${INVITER}` }],
    buildInviteV1Response: [invite, { format: 'spec' }],
    buildInviteV2Response: [invite, { format: 'spec', inviteRoomState: state }],
    buildKeyQueryRequest: [[{ serverName: INVITER, keyId: 'ed25519:1' }]],
    buildServerKeys: [{ serverName: INVITER, signingKey: inviterKey, validUntilTs: 1_700_000_000_000 }],
    canonicalBytesForHashing: [invite],
    checkContentHash: [invite, { base64Mode: 'synapse' }],
    checkEventFieldLimits: [invite],
    checkEventLimits: [invite, { excludeUnsigned: true }],
    checkEventSize: [invite, { excludeUnsigned: true }],
    checkInviteRoomState: [state, rv10, { roomId: invite.room_id, keys, path: ['invite_room_state'] }],
    checkStrictCanonicalJson: [invite, { maxDepth: 10 }],
    collectKeyRequests: [
      (lookup: root.KeyLookup) =>
        cryptoEntry.verifyJsonSignatures({ value: signedObject, serverName: INVITER, keys: lookup }),
      keys,
    ],
    compareCodePoints: ['a', 'b'],
    computeContentHash: [invite, { dialect: 'spec' }],
    computeContentHashBytes: [invite, { dialect: 'spec' }],
    computeEventId: [invite, '10'],
    computeReferenceHash: [invite, '10'],
    computeRoomId: [roomStateFor('12')[0], '12'],
    configureCrypto: [{}],
    conformanceServerKeys: [{ now: 1_700_000_000_000 }],
    contextToPath: [[{ key: '', type: pdu.PduV3Codec, actual: invite }]],
    countersignEvent: [{ event: invite, roomVersion: '10', serverName: INVITEE, signingKey: inviteeKey }],
    countersignInvite: [validated.prepared, INVITEE, inviteeKey, { redact: false }],
    countersignPrepared: [preparedInvite, INVITEE, inviteeKey],
    createEd25519Signer: [seed, 'noble'],
    createServerKeyStore: [[verifiedServerKeys], { maxValidityMs: null }],
    createWebCryptoSigner: [seed],
    cryptoConfiguration: [],
    decodeBase64: ['YWJj', { mode: 'strict' }],
    decodeVerifyKey: [inviterKey.publicKey],
    defaultBackend: [],
    defaultInviteRoomStateMode: [rv10],
    defineRoomVersion: ['10', { id: 'org.example.hostile' }],
    depthCodec: [10n],
    encodeBase64: [message, { urlSafe: true }],
    encodeCanonicalJson: [invite, { strict: true }],
    encodeCanonicalJsonBytes: [invite, { strict: true }],
    encodeCanonicalBytesReusing: [invite, right(canonical.encodeCanonicalMembers(invite)), { strict: false }],
    encodeCanonicalMembers: [invite, { omit: ['signatures'] }],
    encodeContentHashInput: [invite, { dialect: 'spec' }],
    encodeInviteResponse: [{ event: invite }, 'preserve-order'],
    eventError: ['not_an_object', 'message', ['a'], undefined],
    eventIdField: [signedInvite('1')],
    eventIdFromReferenceHash: [preparedInvite.referenceHash(), rv10],
    eventReference: [invite, '10'],
    findLoneSurrogate: ['a\ud800', 0, 2],
    formatConformanceReport: [CONFORMANCE_REPORT, { verbose: true }],
    formatJsonPath: [['a', 0]],
    formatSigningKeyFile: [[{ version: '1', seed }]],
    formatSigningKeyLine: ['1', seed],
    formatXMatrixHeader: [{ origin: INVITER, destination: INVITEE, key: 'ed25519:1', sig: 'c2ln' }],
    generateSigningKey: [{ version: 'a_1', backend: 'noble' }],
    getOwn: [invite, 'type'],
    getRoomVersion: ['10', { custom: [rv10] }],
    hasOwn: [invite, 'type'],
    interpretInviteError: [{ status: 400, body: '{"errcode":"M_FORBIDDEN"}' }],
    inviteError: ['forbidden', 'no', ['event'], { roomVersion: '10' }],
    inviteRoomStateModeFor: [{ '10': 'warn' }, rv10],
    invitePath: [{ apiVersion: 'v2', roomId: `!room:${INVITER}`, eventId }],
    isBackendAvailable: ['noble'],
    isIpv6Address: ['::1', 0, 3],
    isJsonArray: [[1]],
    isJsonObject: [invite],
    isStrictLocalpartChar: [0x61],
    isUnknownEndpoint: [{ status: 404, body: '' }],
    isValidKeyVersion: ['a_1'],
    isValidRoomVersionId: ['10'],
    isValidServerName: [INVITER],
    isValidUserId: [`@a:${INVITER}`, { strict: true }],
    JsonFloat: [1.5, '1.5'],
    listConformanceCases: [['10']],
    keyLookupFrom: [{ [INVITER]: { 'ed25519:1': inviterKey.publicKey } }],
    makePduCodec: [rv10],
    matrixErrorBody: ['M_FORBIDDEN', 'no', { room_version: '10' }],
    omitKeys: [invite, ['signatures']],
    parseEventId: [eventId, rv10],
    parseInviteBody: [request.body, { maxBodyBytes: 100_000, maxJsonDepth: 64 }],
    parseInviteV1Request: [{ ...signedInvite('1') }, { supportedRoomVersions: ['1'] }],
    parseInviteV2Request: [{ room_version: '10', event: invite }, { supportedRoomVersions: ['10'] }],
    parseJson: ['{"a": 1.0}', { maxDepth: 10, maxBytes: 100, maxIntegerDigits: 10 }],
    parseKeyId: ['ed25519:1', { strict: true }],
    parseRoomId: [invite.room_id, rv10],
    parseServerName: [INVITER],
    parseSigningKeyFile: [`ed25519 1 ${'A'.repeat(43)}\n`, { backend: 'noble' }],
    parseUserId: [`@a:${INVITER}`, { strict: false }],
    parseXMatrixHeader: [header],
    passesLibsodiumPrechecks: [publicKey, signature],
    pduCodecFor: [rv10],
    prepareEvent: [invite, '10', { reuse: right(canonical.encodeCanonicalMembers(invite)) }],
    publicKeyFromSeed: [seed, 'noble'],
    pythonFloatRepr: [1.5],
    quotePathSegment: ['!room:x'],
    receiveInvite: [request, context],
    receiveInviteAsync: [request, { ...context, keys: asyncKeys }],
    redactContent: ['m.room.member', { membership: 'invite' }, rv10.redaction],
    redactedForSigning: [invite, rv10],
    redactEvent: [invite, '10'],
    reportPduIssues: [[]],
    requestSigningObject: [xRequest],
    resolveBackendName: ['noble'],
    resolveRules: ['10'],
    responseErrcode: ['{"errcode":"M_X"}'],
    responseJsonObject: ['{"errcode":"M_X"}'],
    runConformance: [CONFORMANCE_OPTIONS],
    runWithAsyncKeys: [
      ({ keys: lookup, verifier }: { keys: root.KeyLookup; verifier: cryptoEntry.Ed25519Verifier }) =>
        cryptoEntry.verifyJsonSignatures({
          value: signedObject,
          serverName: INVITER,
          keys: lookup,
          verifier,
        }),
      { keys: asyncKeys, backend: 'noble' },
    ],
    sendError: ['invalid_params', 'no', ['a'], undefined],
    serverNameOf: [`@a:${INVITER}`],
    setOwn: [{}, 'a', 1],
    sha256: [message],
    shouldFallbackToV1: [{ status: 404, body: '' }, '1'],
    signCanonicalBytes: [message, inviterKey],
    signEd25519: [{ seed, message, backend: 'noble' }],
    signEvent: [{ event: invite, roomVersion: '10', serverName: INVITER, signingKey: inviterKey }],
    signEventPrepared: [invite, '10', INVITER, inviterKey],
    signingBytes: [invite, { strict: false }],
    signingKeyFromSeed: [{ seed, version: '1', backend: 'noble' }],
    signJson: [{ value: { a: 1 }, serverName: INVITER, signingKey: inviterKey }],
    signRequest: [xRequest, inviterKey],
    signRequestSignature: [xRequest, inviterKey],
    sortKeysByCodePoint: [['b', 'a']],
    supportedRoomVersionTable: [['10', rv10]],
    toMatrixError: [{ reason: 'forbidden', message: 'no' }, root.SYNAPSE_ERROR_MAPPING],
    toStrippedStateEvent: [state[0]],
    underPath: [['event'], ['content']],
    unverifiedInviteRoomState: [state, ['invite_room_state']],
    utf8Encode: ['é'],
    validateInviteEvent: [
      invite,
      rv10,
      { origin: INVITER, serverName: INVITEE, keys, now: 1_700_000_000_000 },
    ],
    validatePduShape: [{ event: invite, roomVersion: rv10, strictCanonicalJson: true }],
    verifyEd25519: [{ publicKey, message, signature, backend: 'noble' }],
    verifyEd25519WebCrypto: [{ publicKey, message, signature }],
    verifyEventSignatures: [{ event: invite, roomVersion: '10', keys, now: 1_700_000_000_000 }],
    verifyEventSignaturesAsync: [{ event: invite, roomVersion: '10', keys: asyncKeys }],
    verifyInviteResponse: [
      { status: 200, body: { event: countersigned } },
      { apiVersion: 'v2', sentEvent: built.event, roomVersion: '10', keys, lenient: false },
    ],
    verifyInviteResponseAsync: [
      { status: 200, body: { event: countersigned } },
      { apiVersion: 'v2', sentEvent: built.event, roomVersion: '10', keys: asyncKeys },
    ],
    verifyJsonSignature: [signedObject, INVITER, 'ed25519:1', inviterKey.publicKey],
    verifyJsonSignatures: [{ value: signedObject, serverName: INVITER, keys, base64Mode: 'lenient' }],
    verifyPreparedEvent: [preparedInvite, keys, { now: 1_700_000_000_000 }],
    verifyRequest: [
      { ...xRequest, authorization: header },
      { serverName: INVITEE, keys, now: 1 },
    ],
    verifyRequestAsync: [
      { ...xRequest, authorization: header },
      { serverName: INVITEE, keys: asyncKeys },
    ],
    verifyServerKeys: [serverKeys.bytes, { serverName: INVITER, now: 1_600_000_000_000 }],
    webCryptoEd25519Available: [],
    withKey: [invite, 'a', 1],
  };
}

const VALID = validArguments();

describe('every export, hostile arguments among valid ones', () => {
  const valid = VALID;

  it('has valid arguments for every function (add them for a new export)', () => {
    expect(FUNCTIONS.map(([name]) => name).filter((name) => !Object.hasOwn(valid, name))).toEqual([]);
  });

  for (const [name, fn] of FUNCTIONS) {
    it(`${name} never throws`, async () => {
      const base = valid[name] ?? [];
      // The valid call succeeds (a Right when the function answers an Either): the baseline the hostile calls vary.
      const { result: baseline } = await expectNoThrow(name, fn, base, 'valid arguments');
      if (typeof baseline === 'object' && baseline !== null && '_tag' in baseline) {
        expect(
          E.isRight(baseline as E.Either<unknown, unknown>),
          `${name}: valid arguments give a Right`,
        ).toBe(true);
      }
      for (let position = 0; position < Math.max(base.length, 1); position++) {
        for (const [label, make] of HOSTILE) {
          if (skipped(name, position)) continue;
          const args = [...base];
          args[position] = make();
          await expectNoThrow(name, fn, args, `argument ${position} = ${label}, the others valid`);
        }
        // One level deeper: each own property of an object argument replaced by each hostile value.
        const arg = base[position];
        if (typeof arg !== 'object' || arg === null || Array.isArray(arg) || !value.isJsonObject(arg))
          continue;
        for (const key of Object.keys(arg)) {
          for (const [label, make] of HOSTILE) {
            const args = [...base];
            const hostile = make();
            args[position] = Object.defineProperty({ ...(arg as object) }, key, {
              enumerable: true,
              get: () => {
                if (label === 'a throwing-getter object') throw new Error(`hostile getter ${key}`);
                return hostile;
              },
            });
            await expectNoThrow(name, fn, args, `argument ${position}.${key} = ${label} (through a getter)`);
          }
        }
      }
    });
  }
});
