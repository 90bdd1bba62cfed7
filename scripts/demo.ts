/**
 * `npm run demo`: what the JSON layer does to an invite that JSON.parse would damage.
 * (The full end-to-end invite demo replaces this once the invite layers land.)
 */
import * as E from 'fp-ts/lib/Either.js';
import { encodeCanonicalJson, parseJson } from '../src/index.js';

const wire = '{"type":"m.room.member","depth":1.0,"origin_server_ts":1700000000000,"content":{"membership":"invite","n":9007199254740993,"\u{1F600}":1,"\uFB33":2}}';
console.log('received      :', wire);
console.log('JSON.parse    :', JSON.stringify(JSON.parse(wire)));
const parsed = parseJson(wire);
if (E.isLeft(parsed)) throw new Error(parsed.left.message);
const relaxed = encodeCanonicalJson(parsed.right);
const strict = encodeCanonicalJson(parsed.right, { strict: true });
console.log('canonical     :', E.isRight(relaxed) ? relaxed.right : relaxed.left.message);
console.log('strict (v6+)  :', E.isRight(strict) ? strict.right : `rejected: ${strict.left.reason} at ${strict.left.path.join('.')}`);
