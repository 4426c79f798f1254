-- copycheck.lua: finds 8-word runs that a file shares with the seed passages
-- or the reference sheet ("facts carry over, sentences do not").
-- Usage: lua5.4 tools/copycheck.lua SHARED_DIR FILE...
-- Words are runs of ASCII letters and digits (and µ/μ), lower-cased, as in the
-- before-stop hook. Prints one line per offending file; exits 1 if any.
local RUN = 8

local function words(text)
  local list = {}
  text = text:lower():gsub("\194\181", "µ"):gsub("\206\188", "µ")
  for w in text:gmatch("[%w\194\181]+") do list[#list + 1] = w end
  return list
end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a"); f:close(); return s
end

local function grams_of(paths)
  local grams = {}
  for _, p in ipairs(paths) do
    local w = words(read(p) or "")
    for i = 1, #w - RUN + 1 do
      grams[table.concat(w, " ", i, i + RUN - 1)] = p:match("[^/]+$")
    end
  end
  return grams
end

local shared = assert(arg[1], "usage: copycheck.lua SHARED_DIR FILE...")
local grams = grams_of({ shared .. "/seed/vitamin-k2-passages.txt",
                         shared .. "/reference/vitamin-k-figures.md" })
local bad = 0
-- A cited title may repeat its source's words: Title fields of .rec files are skipped.
local function without_titles(text)
  return (text:gsub("\nTitle:[^\n]*", "\n"):gsub("\n%+[^\n]*", function(l) return l end))
end

for i = 2, #arg do
  local text = read(arg[i]) or ""
  if arg[i]:match("%.rec$") then text = without_titles("\n" .. text) end
  local w = words(text)
  for j = 1, #w - RUN + 1 do
    local g = table.concat(w, " ", j, j + RUN - 1)
    if grams[g] then
      print(("%s: shares \"%s\" with %s"):format(arg[i], g, grams[g]))
      bad = bad + 1
    end
  end
end
os.exit(bad == 0 and 0 or 1)
