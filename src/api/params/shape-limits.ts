// Bounds on the shape of client parameters: how deep a body may nest, and how big `tag` may be.
// Deep nesting overflows the stack of JSON.stringify (records, responses) and recursive code; a
// huge tag would be kept in Redis for the record's whole retention.
import { appError } from '../../core/errors.js';

/** Deepest nesting accepted in a request body (`{"a": {...}}` is 1 level per object or array). */
export const MAX_BODY_DEPTH = 32;
/** `tag` is echoed back and stored with the process: its JSON may be at most this many bytes... */
export const MAX_TAG_BYTES = 4096;
/** ...and nest at most this deep. */
export const MAX_TAG_DEPTH = 10;

/** True when objects and arrays in `value` nest more than `max` levels. Iterative: no recursion to overflow. */
export function deeperThan(value: unknown, max: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= max) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

/** A parsed body (or JSON parameter) nesting too deep is the client's error: a 400, never a 500. */
export function assertShallow(value: unknown, what: string): void {
  if (deeperThan(value, MAX_BODY_DEPTH)) {
    throw appError('INVALID_PARAMETER', `${what} nests deeper than ${MAX_BODY_DEPTH} levels of objects or arrays. Send a flatter structure.`);
  }
}

/** `tag`: anything (a string or an object, as the API document says), within its bounds. */
export function checkTag(tag: unknown): unknown {
  if (tag === undefined) return undefined;
  if (deeperThan(tag, MAX_TAG_DEPTH)) throw appError('INVALID_PARAMETER', `The parameter tag nests deeper than ${MAX_TAG_DEPTH} levels. Use a string or a flatter object.`);
  const bytes = Buffer.byteLength(JSON.stringify(tag));
  if (bytes > MAX_TAG_BYTES) throw appError('INVALID_PARAMETER', `The parameter tag is ${bytes} bytes as JSON; at most ${MAX_TAG_BYTES} bytes (4 KiB) are kept. Send a shorter tag.`);
  return tag;
}
