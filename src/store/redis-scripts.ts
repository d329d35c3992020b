/**
 * The Lua scripts of the Redis backend. Each runs atomically on the server in one round trip.
 *
 * Why scripts instead of MULTI/EXEC for `exec`: inside MULTI, Redis still runs the other commands
 * when one fails with WRONGTYPE, so a batch could half-apply. A script can first check every key's
 * TYPE against the op (the type model of ops.ts, same rules, same error text) and return an error
 * before writing anything, then apply all ops — true all-or-nothing, and still no interleaving.
 *
 * Ops travel as flat ARGV (no JSON): binary-safe, no escaping, cheap to read in Lua.
 *   op layout: name, then  set: value, ttl ('' = none) | del: – | pexpire: ttl
 *                          hset: 2n, f1, v1, … | zaddScore: 2n, s1, m1, … | hdel/sadd/srem/zadd/zrem: n, m1, …
 * Each op's key is the next KEYS entry.
 */

const LIB = `
local NEEDS = {hset='hash', hdel='hash', sadd='set', srem='set', zadd='zset', zaddScore='zset', zrem='zset'}
local GROWS = {hset=true, sadd=true, zadd=true, zaddScore=true}

-- Reads n ops from ARGV[p...] with keys from KEYS[k...]; returns the ops and the next ARGV index.
local function parse_ops(n, p, k)
  local ops = {}
  for i = 1, n do
    local op = {name = ARGV[p], key = KEYS[k]}
    p = p + 1
    k = k + 1
    if op.name == 'set' then
      op.value, op.ttl = ARGV[p], ARGV[p + 1]
      p = p + 2
    elseif op.name == 'pexpire' then
      op.ttl = ARGV[p]
      p = p + 1
    elseif op.name ~= 'del' then
      op.first, op.count = p + 1, tonumber(ARGV[p])
      p = p + 1 + op.count
    end
    ops[i] = op
  end
  return ops, p
end

local function op_steps(steps, ops, prefix)
  for i, op in ipairs(ops) do
    local becomes = nil
    if op.name == 'set' then becomes = 'string'
    elseif op.name == 'del' then becomes = 'none'
    elseif GROWS[op.name] and op.count > 0 then becomes = NEEDS[op.name] end
    steps[#steps + 1] = {label = prefix .. ' #' .. i .. ' (' .. op.name .. ')', key = op.key, need = NEEDS[op.name], becomes = becomes}
  end
  return steps
end

-- Same walk as checkTypes() in ops.ts; returns the error text or nil.
local function check(steps)
  local seen = {}
  for _, s in ipairs(steps) do
    local cur = seen[s.key]
    if cur == nil then cur = redis.call('TYPE', s.key).ok end
    if s.need and cur ~= 'none' and cur ~= s.need then
      return 'WRONGTYPE ' .. s.label .. ' needs a ' .. s.need .. ' but ' .. s.key .. ' holds a ' .. cur
    end
    if s.becomes then cur = s.becomes end
    seen[s.key] = cur
  end
  return nil
end

-- Lua's unpack is limited by the C stack (~8000 values): send long lists in chunks.
local CHUNK = 1000
local function call_list(cmd, key, first, count, with_score)
  local i = 0
  while i < count do
    local args = {}
    local last = math.min(i + CHUNK, count)
    for j = i, last - 1 do
      if with_score then args[#args + 1] = 0 end
      args[#args + 1] = ARGV[first + j]
    end
    redis.call(cmd, key, unpack(args))
    i = last
  end
end

local function apply(op)
  local name = op.name
  if name == 'set' then
    if op.ttl == '' then redis.call('SET', op.key, op.value) else redis.call('SET', op.key, op.value, 'PX', op.ttl) end
  elseif name == 'del' then redis.call('DEL', op.key)
  elseif name == 'pexpire' then redis.call('PEXPIRE', op.key, op.ttl)
  elseif name == 'zadd' then call_list('ZADD', op.key, op.first, op.count, true)
  -- score/member pairs; CHUNK is even, so a pair never straddles two calls
  elseif name == 'zaddScore' then call_list('ZADD', op.key, op.first, op.count, false)
  else call_list(string.upper(name), op.key, op.first, op.count, false) end
end

-- Byte-wise "a > b". Lua's own < on strings uses strcoll, which depends on the server's locale.
local function greater(a, b)
  if a == b then return false end
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x > y end
  end
  return #a > #b
end
`;

/** KEYS: one per op. ARGV: op count, then the ops. */
export const EXEC_LUA = `${LIB}
local ops = parse_ops(tonumber(ARGV[1]), 2, 1)
local err = check(op_steps({}, ops, 'op'))
if err then return redis.error_reply(err) end
for _, op in ipairs(ops) do apply(op) end
return #ops
`;

/**
 * KEYS: dataKey, indexKey, versionKey, then one per extra op.
 * ARGV: entry count n, then n × (field, version, 's'|'d', value), then extra op count and ops.
 * Returns 1/0 per entry.
 */
export const APPLY_VERSIONED_LUA = `${LIB}
local data, index, versions = KEYS[1], KEYS[2], KEYS[3]
local n = tonumber(ARGV[1])
local extra = parse_ops(tonumber(ARGV[2 + 4 * n]), 3 + 4 * n, 4)
local steps = {
  {label = 'dataKey', key = data, need = 'hash', becomes = 'hash'},
  {label = 'indexKey', key = index, need = 'zset', becomes = 'zset'},
  {label = 'versionKey', key = versions, need = 'hash', becomes = 'hash'},
}
local err = check(op_steps(steps, extra, 'extra op'))
if err then return redis.error_reply(err) end
local result = {}
local any = false
for i = 1, n do
  local p = 2 + 4 * (i - 1)
  local field, version = ARGV[p], ARGV[p + 1]
  local stored = redis.call('HGET', versions, field)
  if stored and greater(stored, version) then
    result[i] = 0
  else
    if ARGV[p + 2] == 'd' then
      redis.call('HDEL', data, field)
      redis.call('ZREM', index, field)
    else
      redis.call('HSET', data, field, ARGV[p + 3])
      redis.call('ZADD', index, 0, field)
    end
    redis.call('HSET', versions, field, version)
    result[i] = 1
    any = true
  end
end
if any then for _, op in ipairs(extra) do apply(op) end end
return result
`;

/** Redis's text for a read of a key of another type (as WRONGTYPE_READ in ops.ts). */
const WRONGTYPE_READ = "'WRONGTYPE Operation against a key holding the wrong kind of value'";

/**
 * KEYS: the guard's sorted set, then one per op. ARGV: guard member, guard score ('' = must be
 * absent), op count, ops. Scores compare as doubles: ZSCORE prints with 17 digits, so tonumber
 * reads back exactly the double that was stored. Returns 1 when applied, 0 when the guard failed.
 */
export const EXEC_IF_SCORE_LUA = `${LIB}
local t = redis.call('TYPE', KEYS[1]).ok
if t ~= 'zset' and t ~= 'none' then return redis.error_reply(${WRONGTYPE_READ}) end
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if ARGV[2] == '' then
  if current then return 0 end
elseif not current or tonumber(current) ~= tonumber(ARGV[2]) then
  return 0
end
local ops = parse_ops(tonumber(ARGV[3]), 4, 2)
local err = check(op_steps({}, ops, 'op'))
if err then return redis.error_reply(err) end
for _, op in ipairs(ops) do apply(op) end
return 1
`;

/** KEYS: the sorted set. ARGV: max, new score, limit. Returns the members it moved. */
export const CLAIM_BY_SCORE_LUA = `
local t = redis.call('TYPE', KEYS[1]).ok
if t ~= 'zset' and t ~= 'none' then return redis.error_reply(${WRONGTYPE_READ}) end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
for _, member in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', ARGV[2], member) end
return due
`;

/** KEYS: the lock key. ARGV: the expected value. A key of another type does not hold the value. */
/** ARGV: expectAbsent ('1' | '0'), expected, value. SET without options also drops any TTL. */
export const COMPARE_AND_SET_LUA = `
local t = redis.call('TYPE', KEYS[1]).ok
if ARGV[1] == '1' then
  if t ~= 'none' then return 0 end
elseif t ~= 'string' or redis.call('GET', KEYS[1]) ~= ARGV[2] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3])
return 1
`;

export const DEL_IF_EQUALS_LUA = `
if redis.call('TYPE', KEYS[1]).ok == 'string' and redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;
