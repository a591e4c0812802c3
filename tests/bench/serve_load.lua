-- wrk script of the vote server's load benchmark: every request casts a
-- vote on a value of its own (GET /vote.php), with the voter's token given
-- after "--"; each acknowledged value is written to acknowledged-N.txt (one
-- file a thread), to be checked against the database afterwards.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  token = args[1]
  counter = 0
  acknowledged = io.open("acknowledged-" .. id .. ".txt", "w")
  failed = 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", "/vote.php?vote=0&value=load" .. id .. "-" .. counter .. ".example",
                    {["Authorization"] = "Bearer " .. token})
end

function response(status, headers, body)
  if status == 200 then
    local value = body:match('"value":"([^"]+)"')
    acknowledged:write(value, "\n")
  else
    failed = failed + 1
  end
  if counter % 1000 == 0 then acknowledged:flush() end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("socket_errors %d\n", errors.connect + errors.read + errors.write + errors.timeout))
  io.write(string.format("status_errors %d\n", errors.status))
  io.write(string.format("seconds %.2f\n", summary.duration / 1e6))
  io.write(string.format("p50_ms %.2f\np99_ms %.2f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
