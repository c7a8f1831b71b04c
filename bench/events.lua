-- wrk script for bench/events: every request POSTs one NDJSON batch of live events to /api/events.
-- Environment: BATCH (events per request), STAFF and TEAMS (ids loaded by bench/events), RUN (a tag that
-- keeps event ids unique across runs). Each wrk thread numbers its own events, so every event_id,
-- allocation_id and referral_id is new. Mix: 40% supervision_recorded, 30% allocation_started,
-- 30% referral_received.

local batch = tonumber(os.getenv("BATCH") or "50")
local staff = tonumber(os.getenv("STAFF") or "2000")
local teams = tonumber(os.getenv("TEAMS") or "50")
local run = os.getenv("RUN") or "run"

local threads = {}
local counter = 0

function setup(thread)
    thread:set("tid", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    math.randomseed(1000 + tid)
end

local function day()
    return string.format("2026-%02d-%02d", math.random(1, 10), math.random(1, 28))
end

local cases = { "assessment", "cin", "cp", "cla", "care_leaver", "early_help" }
local kinds = { "formal", "reflective", "group" }

local function event()
    counter = counter + 1
    local id = run .. "-" .. tid .. "-" .. counter
    local at = string.format("2026-11-23T%02d:%02d:%02dZ", math.random(8, 17), math.random(0, 59), math.random(0, 59))
    local r = math.random(10)
    if r <= 4 then
        return string.format('{"type":"supervision_recorded","occurred_at":"%s","event_id":"%s","staff_id":"S%05d","supervision_date":"%s","kind":"%s"}',
            at, id, math.random(staff), day(), kinds[math.random(3)])
    elseif r <= 7 then
        return string.format('{"type":"allocation_started","occurred_at":"%s","event_id":"%s","allocation_id":"EA-%s","child_id":"C%06d","staff_id":"S%05d","case_type":"%s","start_date":"%s"}',
            at, id, id, math.random(100000), math.random(staff), cases[math.random(6)], day())
    else
        return string.format('{"type":"referral_received","occurred_at":"%s","event_id":"%s","referral_id":"ER-%s","child_id":"C%06d","team_id":"T%03d","referral_date":"%s"}',
            at, id, id, math.random(100000), math.random(teams), day())
    end
end

local headers = { ["Content-Type"] = "application/x-ndjson", ["Authorization"] = os.getenv("BENCH_AUTH") }

function request()
    local lines = {}
    for i = 1, batch do
        lines[i] = event()
    end
    return wrk.format("POST", "/api/events", headers, table.concat(lines, "\n") .. "\n")
end

function done(summary, latency, requests)
    io.write(string.format("WRK requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d"
        .. " errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
        latency.max, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
        summary.errors.timeout))
end
