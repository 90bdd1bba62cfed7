/**
 * Shared error vocabulary. Every error the library returns (inside an fp-ts `Left`) is a plain object with a
 * discriminating `kind`, a machine-readable `reason`, a human `message`, and a `path` into the JSON value it
 * concerns (empty when it concerns the whole input).
 */

/**
 * A path into a JSON value: object keys and array indices, outermost first.
 *
 * @category Errors
 */
export type JsonPath = readonly (string | number)[];

/**
 * The fields every error of this library carries.
 *
 * @category Errors
 */
export interface LibraryError<Kind extends string, Reason extends string> {
  /** Which family of error this is (`JsonError`, `EventError`, ...): the discriminant between modules. */
  readonly kind: Kind;
  /** The machine-readable reason, stable across releases: switch on it, map it to a Matrix error. */
  readonly reason: Reason;
  /** A human explanation for logs and error bodies; its wording may change. */
  readonly message: string;
  /** Where in the JSON value the problem is (keys and indices, outermost first); empty for the whole input. */
  readonly path: JsonPath;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Renders a path as a JavaScript-like accessor string, e.g. `$.event.content["m.relates_to"][0]`.
 *
 * @example formatJsonPath(['event', 'content', 'membership']) // '$.event.content.membership'
 *
 * @category Errors
 */
export function formatJsonPath(path: JsonPath): string {
  let out = '$';
  if (!Array.isArray(path)) return out; // not a path (never throws)
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment !== 'string') out += '[?]';
    else if (IDENTIFIER.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
