/**
 * Up-front checks of what the caller hands `receiveInvite`: the request's own fields and the context with its
 * policy. Every mistake here is the caller's, so it is a caller error (`invalid_request` / `invalid_context`, 500)
 * naming what was wrong, never an answer blaming the peer. Internal (not re-exported).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { SigningKey } from '../../crypto/types.js';
import { describeValue, errorText } from '../../errors/describe.js';
import { type MatrixErrorCode, SPEC_ERROR_MAPPING } from '../../errors/matrix.js';
import {
  BACKEND_NAMES,
  BASE64_MODES,
  booleanProblem,
  CONTENT_HASH_DIALECTS,
  countProblem,
  enumProblem,
  finiteNumberProblem,
  functionProblem,
  objectProblem,
} from '../../errors/options.js';
import type { RoomVersionRules } from '../../room-versions/rules.js';
import { getRoomVersion } from '../../room-versions/versions.js';
import { type InviteError, inviteError } from './reasons.js';
import type { InviteContext, InvitePolicy, ReceivedInviteRequest } from './receive.js';

const MODES = ['enforce', 'warn', 'ignore'] as const;
/** Every reason an error mapping may answer: the invite's and X-Matrix's (one mapping serves both, see `verifyRequest`). */
const KNOWN_REASONS: ReadonlySet<string> = new Set(Object.keys(SPEC_ERROR_MAPPING));

/** `request`: an object with `apiVersion`, string path IDs and origin, and a body of bytes, text or JSON. */
function requestProblem(request: ReceivedInviteRequest): string | undefined {
  if (typeof request !== 'object' || request === null)
    return `request must be an object, got ${describeValue(request)}`;
  if (request.apiVersion !== 'v1' && request.apiVersion !== 'v2') {
    return `request.apiVersion must be "v1" or "v2", got ${describeValue(request.apiVersion)}`;
  }
  for (const key of ['roomId', 'eventId', 'origin'] as const) {
    if (typeof request[key] !== 'string')
      return `request.${key} must be a string, got ${describeValue(request[key])}`;
  }
  // The body's type is checked by parseInviteBody (one walk of a parsed body); here only that it can be read.
  void request.body;
  return undefined;
}

function errorCodeProblem(name: string, code: unknown): string | undefined {
  if (typeof code !== 'object' || code === null)
    return `${name} must be { status, errcode }, got ${describeValue(code)}`;
  const { status, errcode, includeRoomVersion, error } = code as Partial<
    Record<keyof MatrixErrorCode, unknown>
  >;
  // A chain of `??`: each check runs only when the ones before found nothing (no closures per call).
  return (
    (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599
      ? undefined
      : `${name}.status must be an HTTP status (an integer in 100-599), got ${describeValue(status)}`) ??
    (typeof errcode === 'string' && errcode !== ''
      ? undefined
      : `${name}.errcode must be a non-empty string, got ${describeValue(errcode)}`) ??
    booleanProblem(`${name}.includeRoomVersion`, includeRoomVersion) ??
    (error === undefined || typeof error === 'string'
      ? undefined
      : `${name}.error must be a string, got ${describeValue(error)}`)
  );
}

function errorMappingProblem(mapping: unknown): string | undefined {
  const shape = objectProblem('context.policy.errorMapping', mapping);
  if (shape !== undefined || mapping === undefined) return shape;
  for (const reason of Object.keys(mapping as object)) {
    const name = `context.policy.errorMapping.${reason}`;
    if (!KNOWN_REASONS.has(reason)) return `${name}: ${JSON.stringify(reason)} is not a rejection reason`;
    const problem = errorCodeProblem(name, (mapping as Record<string, unknown>)[reason]);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function inviteRoomStatePolicyProblem(value: unknown): string | undefined {
  const name = 'context.policy.inviteRoomState';
  if (value === undefined || (typeof value === 'string' && (MODES as readonly string[]).includes(value)))
    return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `${name} must be "enforce", "warn", "ignore" or a map from room version to one of them, got ${describeValue(value)}`;
  }
  for (const version of Object.keys(value)) {
    const problem = enumProblem(
      `${name}[${JSON.stringify(version)}]`,
      (value as Record<string, unknown>)[version],
      MODES,
    );
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function policyProblem(policy: InvitePolicy): string | undefined {
  // A chain of `??`: each check runs only when the ones before found nothing (no closures per call: this runs for
  // every invite received).
  return (
    enumProblem('context.policy.contentHashMismatch', policy.contentHashMismatch, ['reject', 'redact']) ??
    inviteRoomStatePolicyProblem(policy.inviteRoomState) ??
    errorMappingProblem(policy.errorMapping) ??
    enumProblem('context.policy.responseFormat', policy.responseFormat, ['spec', 'untouched', 'synapse']) ??
    enumProblem('context.policy.responseEncoding', policy.responseEncoding, [
      'canonical',
      'preserve-order',
    ]) ??
    enumProblem('context.policy.backend', policy.backend, BACKEND_NAMES) ??
    enumProblem('context.policy.base64Mode', policy.base64Mode, BASE64_MODES) ??
    countProblem('context.policy.maxBodyBytes', policy.maxBodyBytes) ??
    countProblem('context.policy.maxJsonDepth', policy.maxJsonDepth) ??
    (policy.maxEventDepth === undefined ||
    (typeof policy.maxEventDepth === 'bigint' && policy.maxEventDepth >= 0n)
      ? undefined
      : `context.policy.maxEventDepth must be a non-negative bigint, got ${describeValue(policy.maxEventDepth)}`) ??
    booleanProblem('context.policy.thirdPartyInviteExemption', policy.thirdPartyInviteExemption) ??
    enumProblem('context.policy.contentHashDialect', policy.contentHashDialect, CONTENT_HASH_DIALECTS) ??
    functionProblem('context.policy.authorize', policy.authorize) ??
    functionProblem('context.policy.verifier', policy.verifier)
  );
}

/** Every entry a known room version identifier or valid rules (custom versions may be named by other entries). */
function supportedRoomVersionsProblem(supported: unknown): string | undefined {
  if (supported === undefined) return undefined;
  const name = 'context.supportedRoomVersions';
  if (!Array.isArray(supported)) return `${name} must be an array, got ${describeValue(supported)}`;
  const list: readonly unknown[] = supported;
  const custom = list.filter((v): v is RoomVersionRules => typeof v === 'object' && v !== null);
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (typeof entry !== 'string' && (typeof entry !== 'object' || entry === null)) {
      return `${name}[${i}] must be a room version identifier or rules, got ${describeValue(entry)}`;
    }
    const resolved =
      typeof entry === 'string'
        ? getRoomVersion(entry, { custom })
        : getRoomVersion(entry as RoomVersionRules);
    if (E.isLeft(resolved)) return `${name}[${i}]: ${resolved.left.message}`;
  }
  return undefined;
}

function contextProblem(context: InviteContext): string | undefined {
  if (typeof context !== 'object' || context === null)
    return `context must be an object, got ${describeValue(context)}`;
  // A chain of `??` (see policyProblem).
  const key = context.signingKey as Partial<SigningKey> | undefined;
  return (
    (typeof context.serverName === 'string' && context.serverName.length > 0
      ? undefined
      : `context.serverName must be a non-empty string, got ${describeValue(context.serverName)}`) ??
    (typeof key === 'object' &&
    key !== null &&
    typeof key.sign === 'function' &&
    typeof key.keyId === 'string'
      ? undefined
      : `context.signingKey must be a SigningKey, got ${describeValue(key)}`) ??
    (typeof context.keys === 'function'
      ? undefined
      : `context.keys must be a key lookup function, got ${describeValue(context.keys)}`) ??
    supportedRoomVersionsProblem(context.supportedRoomVersions) ??
    finiteNumberProblem('context.now', context.now) ??
    objectProblem('context.policy', context.policy) ??
    (context.policy === undefined ? undefined : policyProblem(context.policy))
  );
}

/**
 * The first caller mistake in `request` and `context` (`invalid_request` / `invalid_context`), or `undefined`.
 * Settings are read inside a `try`: a getter that throws is reported as the caller's mistake too.
 */
export function receiveSettingsProblem(
  request: ReceivedInviteRequest,
  context: InviteContext,
): InviteError | undefined {
  try {
    const problem = contextProblem(context);
    if (problem !== undefined) return inviteError('invalid_context', problem);
  } catch (error) {
    return inviteError('invalid_context', `the context cannot be read: ${errorText(error)}`);
  }
  try {
    const problem = requestProblem(request);
    return problem === undefined ? undefined : inviteError('invalid_request', problem);
  } catch (error) {
    return inviteError('invalid_request', `the request cannot be read: ${errorText(error)}`);
  }
}
