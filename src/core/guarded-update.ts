// The first lines of a Lua update that applies only when a record's state field holds one of the
// allowed values: the conditional write under both process steps (v1) and task statuses (v2).

/**
 * Lua that returns 'missing' when KEYS[1] does not exist, and the current value of `field` when
 * ARGV[1] (allowed JSON values joined by "|"; empty = any) does not include it.
 */
export const stateGuard = (field: string): string => `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
if ARGV[1] ~= '' then
  local current = redis.call('HGET', KEYS[1], '${field}')
  local allowed = false
  for s in string.gmatch(ARGV[1], '[^|]+') do
    if s == current then allowed = true end
  end
  if not allowed then return current end
end`;
