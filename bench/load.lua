-- wrk script for bench/load: every request GETs the next of the dashboard's own requests, in turn.
-- Environment: PATHS (a file of "kind<TAB>path" lines, written by bench/load), CREDENTIALS (a header
-- "Name: value" sent with every request: the signed-in session's cookie, or Basic credentials). Each wrk thread starts at a different place in the list. Besides wrk's own error counts,
-- it counts every answer that is not 2xx (wrk's status errors count only 4xx and 5xx).

local credentials = os.getenv("CREDENTIALS") or ""
local threads = {}
local paths = {}
local next_path = 1
non2xx = 0

function setup(thread)
    thread:set("tid", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    for line in io.lines(os.getenv("PATHS")) do
        local path = line:match("\t(.+)$")
        if path then table.insert(paths, path) end
    end
    assert(#paths > 0, "no paths in " .. tostring(os.getenv("PATHS")))
    next_path = (tid - 1) * 7 % #paths + 1
end

local headers = { ["Accept"] = "application/json, image/png, text/html, */*" }
local name, value = credentials:match("^([^:]+):%s*(.+)$")
if name then headers[name] = value end

function request()
    local path = paths[next_path]
    next_path = next_path % #paths + 1
    return wrk.format("GET", path, headers)
end

function response(status, headers, body)
    if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
    local bad = 0
    for _, thread in ipairs(threads) do bad = bad + thread:get("non2xx") end
    io.write(string.format("WRK requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d"
        .. " errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d\n",
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
        latency.max, bad, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
