-- wrk script of the community pages' benchmark: each request asks for the
-- page of an indicator drawn at random from the file given after "--"
-- (one normalised indicator a line). Counts the answers other than 200.
local paths = {}

function init(args)
  local prefix = args[2] or "/indicator/"
  for line in io.lines(args[1]) do table.insert(paths, prefix .. line) end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
