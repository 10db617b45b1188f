// Records kept as Redis hashes with one JSON value per field (processes, v2 tasks and jobs,
// webhooks): a field can be updated alone, and every value keeps its type.

/** HSET arguments: field, JSON value, ...; undefined fields are left out. */
export const encodeFields = (record: object): string[] => Object.entries(record).flatMap(([k, v]) => (v === undefined ? [] : [k, JSON.stringify(v)]));

/** The record from HGETALL, or undefined for a missing hash (no fields). */
export const decodeFields = <T>(raw: Record<string, string>): T | undefined =>
  Object.keys(raw).length === 0 ? undefined : (Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, JSON.parse(v) as unknown])) as T);
