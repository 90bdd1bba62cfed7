/**
 * The v2 → v1 fallback classifier (Synapse synapse/federation/federation_client.py `_do_send_invite`, synapse/http/matrixfederationclient.py `is_unknown_endpoint`) and the error advice
 * for the inviting client (spec "Inviting to a room"; Synapse synapse/handlers/federation.py).
 */
import { describe, expect, it } from 'vitest';
import { interpretInviteError } from '../../src/invite/send/errors.js';
import {
  type InviteHttpResponse,
  isUnknownEndpoint,
  shouldFallbackToV1,
} from '../../src/invite/send/fallback.js';
import { ROOM_VERSIONS } from '../../src/room-versions/versions.js';
import { ALL_ROOM_VERSIONS } from './send-helpers.js';

const err = (errcode: string, extra = '') => `{"errcode":"${errcode}","error":"x"${extra}}`;
const bytes = (text: string) => new TextEncoder().encode(text);

/** [description, response, unknown endpoint?] */
const TABLE: [string, InviteHttpResponse, boolean][] = [
  ['404 empty body', { status: 404, body: '' }, true],
  ['404 no body', { status: 404 }, true],
  ['404 null body', { status: 404, body: null }, true],
  ['404 text (old Dendrite)', { status: 404, body: '404 page not found' }, true],
  ['404 HTML', { status: 404, body: '<html>Not Found</html>' }, true],
  ['404 JSON array', { status: 404, body: '[]' }, true],
  ['404 leading space before {', { status: 404, body: ' {"errcode":"M_NOT_FOUND"}' }, true],
  ['404 M_UNRECOGNIZED', { status: 404, body: err('M_UNRECOGNIZED') }, true],
  ['404 M_UNRECOGNIZED as bytes', { status: 404, body: bytes(err('M_UNRECOGNIZED')) }, true],
  ['404 empty bytes', { status: 404, body: new Uint8Array() }, true],
  ['404 M_UNRECOGNIZED parsed', { status: 404, body: { errcode: 'M_UNRECOGNIZED' } }, true],
  ['405 empty body (old Conduit)', { status: 405, body: '' }, true],
  ['405 M_UNRECOGNIZED', { status: 405, body: err('M_UNRECOGNIZED') }, true],
  ['400 M_UNRECOGNIZED (old Synapse)', { status: 400, body: err('M_UNRECOGNIZED') }, true],
  ['404 M_NOT_FOUND JSON', { status: 404, body: err('M_NOT_FOUND') }, false],
  ['404 JSON without errcode', { status: 404, body: '{}' }, false],
  ['404 broken JSON starting with {', { status: 404, body: '{oops' }, false],
  ['404 parsed object without errcode', { status: 404, body: { error: 'x' } }, false],
  ['400 empty body', { status: 400, body: '' }, false],
  ['400 text', { status: 400, body: 'Bad Request' }, false],
  ['400 M_INVALID_PARAM', { status: 400, body: err('M_INVALID_PARAM') }, false],
  ['400 M_MISSING_PARAM', { status: 400, body: err('M_MISSING_PARAM') }, false],
  [
    '400 M_INCOMPATIBLE_ROOM_VERSION',
    { status: 400, body: err('M_INCOMPATIBLE_ROOM_VERSION', ',"room_version":"3"') },
    false,
  ],
  ['400 M_BAD_JSON', { status: 400, body: err('M_BAD_JSON') }, false],
  ['400 M_UNKNOWN', { status: 400, body: err('M_UNKNOWN') }, false],
  ['401 empty', { status: 401, body: '' }, false],
  ['403 M_FORBIDDEN', { status: 403, body: err('M_FORBIDDEN') }, false],
  ['403 empty', { status: 403, body: '' }, false],
  ['403 M_UNRECOGNIZED', { status: 403, body: err('M_UNRECOGNIZED') }, false],
  ['429 M_LIMIT_EXCEEDED', { status: 429, body: err('M_LIMIT_EXCEEDED') }, false],
  ['429 empty', { status: 429, body: '' }, false],
  ['500 empty', { status: 500, body: '' }, false],
  ['500 M_UNRECOGNIZED', { status: 500, body: err('M_UNRECOGNIZED') }, false],
  ['502 text', { status: 502, body: 'Bad Gateway' }, false],
  ['503 M_UNKNOWN', { status: 503, body: err('M_UNKNOWN') }, false],
  ['200 empty', { status: 200, body: '' }, false],
  ['errcode not a string', { status: 400, body: '{"errcode":["M_UNRECOGNIZED"]}' }, false],
  ['errcode in lower case', { status: 400, body: err('m_unrecognized') }, false],
];

describe('shouldFallbackToV1', () => {
  it.each(TABLE)('%s: unknown endpoint = %s', (_name, response, unknown) => {
    expect(isUnknownEndpoint(response)).toBe(unknown);
  });

  for (const rv of ALL_ROOM_VERSIONS) {
    const fallback = rv === '1' || rv === '2';
    it.each(TABLE)(`room ${rv}: %s`, (_name, response, unknown) => {
      expect(shouldFallbackToV1(response, rv)).toBe(fallback && unknown);
      expect(shouldFallbackToV1(response, ROOM_VERSIONS[rv] as (typeof ROOM_VERSIONS)[string])).toBe(
        fallback && unknown,
      );
    });
  }

  it('unknown room versions and garbage never fall back and never throw', () => {
    expect(shouldFallbackToV1({ status: 404, body: '' }, '13')).toBe(false);
    expect(shouldFallbackToV1({ status: 404, body: '' }, 'org.matrix.msc2176')).toBe(false);
    expect(shouldFallbackToV1({ status: 404, body: '' }, 1 as unknown as string)).toBe(false);
    expect(shouldFallbackToV1(null as unknown as InviteHttpResponse, '1')).toBe(false);
    expect(shouldFallbackToV1({ status: '404' as unknown as number, body: '' }, '1')).toBe(false);
  });
});

describe('interpretInviteError', () => {
  it('400 M_INVALID_PARAM / M_MISSING_PARAM: a 5xx for the client, not passed through', () => {
    for (const code of ['M_INVALID_PARAM', 'M_MISSING_PARAM']) {
      const result = interpretInviteError({ status: 400, body: err(code) });
      expect(result.errcode).toBe(code);
      expect(result.advice).toMatchObject({ status: 500, errcode: 'M_UNKNOWN', passThrough: false });
    }
  });

  it('M_INCOMPATIBLE_ROOM_VERSION: the room version is passed on', () => {
    const result = interpretInviteError({
      status: 400,
      body: '{"errcode":"M_INCOMPATIBLE_ROOM_VERSION","error":"Your homeserver does not support the features required to join this room","room_version":"3"}',
    });
    expect(result).toMatchObject({
      errcode: 'M_INCOMPATIBLE_ROOM_VERSION',
      roomVersion: '3',
      unknownEndpoint: false,
    });
    expect(result.advice).toEqual({
      status: 400,
      errcode: 'M_INCOMPATIBLE_ROOM_VERSION',
      error: 'Your homeserver does not support the features required to join this room',
      passThrough: true,
      roomVersion: '3',
    });
  });

  it('the unstable MSC4155 code becomes M_INVITE_BLOCKED', () => {
    const result = interpretInviteError({ status: 403, body: err('ORG.MATRIX.MSC4155.M_INVITE_BLOCKED') });
    expect(result).toMatchObject({
      errcode: 'M_INVITE_BLOCKED',
      remoteErrcode: 'ORG.MATRIX.MSC4155.M_INVITE_BLOCKED',
    });
    expect(result.advice).toMatchObject({ status: 403, errcode: 'M_INVITE_BLOCKED', passThrough: true });
    expect(interpretInviteError({ status: 403, body: err('M_INVITE_BLOCKED') }).advice.errcode).toBe(
      'M_INVITE_BLOCKED',
    );
  });

  it('403 M_FORBIDDEN is passed through', () => {
    expect(
      interpretInviteError({
        status: 403,
        body: '{"errcode":"M_FORBIDDEN","error":"User cannot invite the target user."}',
      }).advice,
    ).toEqual({
      status: 403,
      errcode: 'M_FORBIDDEN',
      error: 'User cannot invite the target user.',
      passThrough: true,
    });
  });

  it('429 stays 429 (never 500), with or without a JSON body', () => {
    const result = interpretInviteError({
      status: 429,
      body: '{"errcode":"M_LIMIT_EXCEEDED","error":"slow down","retry_after_ms":2000}',
    });
    expect(result.retryAfterMs).toBe(2000);
    expect(result.advice).toMatchObject({ status: 429, errcode: 'M_LIMIT_EXCEEDED', retryAfterMs: 2000 });
    expect(interpretInviteError({ status: 429, body: '' }).advice).toMatchObject({
      status: 429,
      errcode: 'M_LIMIT_EXCEEDED',
    });
    expect(interpretInviteError({ status: 429, body: 'Too Many Requests' }).advice.status).toBe(429);
    expect(
      interpretInviteError({ status: 429, body: '{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":-1}' })
        .retryAfterMs,
    ).toBeUndefined();
  });

  it('unknown endpoints: M_UNSUPPORTED_ROOM_VERSION as Synapse answers', () => {
    for (const [status, body] of [
      [404, ''],
      [405, 'Method Not Allowed'],
      [400, err('M_UNRECOGNIZED')],
    ] as const) {
      const result = interpretInviteError({ status, body });
      expect(result.unknownEndpoint).toBe(true);
      expect(result.advice).toMatchObject({ status: 400, errcode: 'M_UNSUPPORTED_ROOM_VERSION' });
    }
  });

  it('5xx, 401 and odd statuses: 502 M_UNKNOWN', () => {
    for (const status of [500, 502, 503, 401, 200, 302, Number.NaN]) {
      expect(interpretInviteError({ status, body: err('M_UNKNOWN') }).advice).toMatchObject({
        status: 502,
        errcode: 'M_UNKNOWN',
      });
    }
  });

  it('non-JSON bodies give M_UNKNOWN; other 4xx pass through; never throws', () => {
    expect(interpretInviteError({ status: 400, body: 'nope' })).toMatchObject({
      errcode: 'M_UNKNOWN',
      advice: { status: 400, passThrough: true },
    });
    expect(interpretInviteError({ status: 404, body: err('M_NOT_FOUND') }).advice).toMatchObject({
      status: 404,
      errcode: 'M_NOT_FOUND',
    });
    expect(interpretInviteError({ status: 413, body: bytes(err('M_TOO_LARGE')) }).advice).toMatchObject({
      status: 413,
      errcode: 'M_TOO_LARGE',
    });
    expect(interpretInviteError({ status: 400, body: '{"errcode":5}' }).errcode).toBe('M_UNKNOWN');
    expect(
      interpretInviteError({
        status: 400,
        body: '{"errcode":"M_INCOMPATIBLE_ROOM_VERSION","room_version":3}',
      }).roomVersion,
    ).toBeUndefined();
    for (const body of [undefined, null, 5, [], '\u0000', new Uint8Array([0xff, 0xfe])]) {
      expect(() => interpretInviteError({ status: 400, body: body as string })).not.toThrow();
    }
  });
});
