/**
 * `matrix-federation-invite/json`: lossless JSON parsing and Matrix canonical JSON (spec appendix
 * [Canonical JSON](https://spec.matrix.org/v1.19/appendices/#canonical-json)), byte-identical to python
 * canonicaljson, which Synapse hashes and signs.
 *
 * @packageDocumentation
 * @module matrix-federation-invite/json
 */
export {
  type CanonicalJsonError,
  type CanonicalJsonErrorReason,
  type CanonicalJsonOptions,
  checkStrictCanonicalJson,
  compareCodePoints,
  encodeCanonicalJson,
  MAX_SAFE_CANONICAL_INTEGER,
} from './canonical.js';
export { type JsonError, type JsonErrorReason, type ParseJsonOptions, parseJson } from './parse.js';
export {
  isJsonArray,
  isJsonObject,
  type JsonArray,
  JsonFloat,
  type JsonObject,
  type JsonObjectInput,
  type JsonValue,
  type JsonValueInput,
} from './value.js';
