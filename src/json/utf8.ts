/** UTF-8 encoding of the (well-formed) strings the library hashes, signs and sends (see the platform layer). */
export { type Utf8Assembly, utf8Assembly, utf8Encode, utf8EncodeOwned } from '../platform/text.js';
