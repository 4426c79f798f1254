-- test_usda.lua: checks the committed USDA SR24 food table (data/food/usda-sr24.tsv)
-- and, when Debian's cronometer package is at hand, the table against the package.
--   (a) always: the file parses; its counts (8,858 foods, 4,774 with vitamin K,
--       979 deprecated, 15,274 measures) and header; spinach, raw 482.9 ug/100 g
--       with 1 cup = 30 g; natto 23.1 ug/100 g; "not measured" stays empty, 0 stays 0.
--   (b) with the .deb ($K2_CRONOMETER_DEB, else build/cronometer_*.deb): a fresh
--       extraction with tools/usda.lua is byte-for-byte the committed file, and a
--       random sample of foods (at least 200; seed from $K2_SEED, else the clock,
--       printed) with all their measures matches the package's XML as read here,
--       independently of the tool's own parser. Without the .deb, (b) is skipped.
-- Run from the top of the checkout: lua5.4 tests/tools/test_usda.lua
-- Ends with the line "usda: N passed, N failed" (and how many were skipped).

local TABLE = "data/food/usda-sr24.tsv"
local SAMPLE = 250
local passed, failed, skipped = 0, 0, 0

local function case(name, fn)
  local ok, err = pcall(fn)
  if ok then passed = passed + 1 else failed = failed + 1 end
  print(("%s %s%s"):format(ok and "ok  " or "FAIL", name, ok and "" or ("\n     " .. tostring(err))))
end

local function skip(name, why)
  skipped = skipped + 1
  print(("skip %s (%s)"):format(name, why))
end

local function check(cond, msg) if not cond then error(msg or "check failed", 2) end end

local function equal(got, want, what)
  if got ~= want then error(("%s: got %s, want %s"):format(what, tostring(got), tostring(want)), 2) end
end

local function quote(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

local function slurp(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local text = f:read("*a")
  f:close()
  return text
end

local function shell(cmd)
  local ok, _, code = os.execute(cmd)
  return ok == true or ok == 0, code
end

---------------------------------------------------------------- reading the table

-- { header = {lines}, foods = {id -> food}, order = {ids}, errors = {...} }
-- food = { id=, k1= (string or nil), deprecated=, name=, measures = {{amount=, grams=, name=}} }
local function read_table(text)
  local t = { header = {}, foods = {}, order = {}, errors = {} }
  local current
  local n = 0
  for line in text:gmatch("([^\n]*)\n") do
    n = n + 1
    local id, k1, flag, name = line:match("^(%d%d%d%d%d)\t([^\t]*)\t([^\t]*)\t([^\t]+)$")
    local amount, grams, measure = line:match("^\t([^\t]+)\t([^\t]+)\t([^\t]+)$")
    if line:sub(1, 1) == "#" then
      if current then t.errors[#t.errors + 1] = n .. ": comment after the header" end
      t.header[#t.header + 1] = line
    elseif id then
      if t.foods[id] then t.errors[#t.errors + 1] = n .. ": id " .. id .. " twice" end
      if flag ~= "" and flag ~= "D" then t.errors[#t.errors + 1] = n .. ": flag " .. flag end
      current = { id = id, k1 = k1 ~= "" and k1 or nil, deprecated = flag == "D", name = name, measures = {} }
      t.foods[id] = current
      t.order[#t.order + 1] = id
    elseif amount and current then
      current.measures[#current.measures + 1] = { amount = amount, grams = grams, name = measure }
    else
      t.errors[#t.errors + 1] = n .. ": not a header, food or measure line: " .. line
    end
  end
  return t
end

local text = slurp(TABLE)
local tbl = text and read_table(text)

local function count(pred)
  local n = 0
  for _, id in ipairs(tbl.order) do if pred(tbl.foods[id]) then n = n + 1 end end
  return n
end

---------------------------------------------------------------- (a) the committed file

case("(a) the table exists, ends with a newline and every line parses", function()
  check(text, "missing " .. TABLE)
  check(text:sub(-1) == "\n", "no final newline")
  check(not text:find("\r", 1, true), "carriage return in the table")
  check(#tbl.errors == 0, table.concat(tbl.errors, "\n     ", 1, math.min(#tbl.errors, 5)))
end)

case("(a) foods are sorted by id", function()
  for i = 2, #tbl.order do
    check(tbl.order[i - 1] < tbl.order[i], "out of order: " .. tbl.order[i - 1] .. " then " .. tbl.order[i])
  end
end)

case("(a) 8858 foods, 4774 with vitamin K, 979 deprecated, 15274 measures", function()
  equal(#tbl.order, 8858, "foods")
  equal(count(function(f) return f.k1 ~= nil end), 4774, "foods with vitamin K")
  equal(count(function(f) return f.deprecated end), 979, "deprecated foods")
  local measures = 0
  for _, id in ipairs(tbl.order) do measures = measures + #tbl.foods[id].measures end
  equal(measures, 15274, "measures")
  local stated = table.concat(tbl.header, "\n")
  check(stated:find("foods: 8858, with vitamin K: 4774, deprecated by the package: 979, measures: 15274", 1, true),
    "the header's counts differ from the body")
end)

case("(a) the header names the package, its version, the release, the source and the licence", function()
  local h = table.concat(tbl.header, "\n")
  check(h:find("Release 24 (SR24)", 1, true), "release")
  check(h:find("# package: Debian cronometer %S+, architecture all, %.deb sha256 %x+"), "package and version")
  check(h:find("usr/share/cronometer/usda_sr24.jar, sha256 %x+"), "jar")
  check(h:find("U.S. Department of Agriculture", 1, true), "source")
  check(h:find("public domain", 1, true), "licence")
end)

case("(a) values are decimals as USDA wrote them; measured zeros stay 0.0, unmeasured stay empty", function()
  local zeros = 0
  for _, id in ipairs(tbl.order) do
    local f = tbl.foods[id]
    if f.k1 then
      check(f.k1:match("^%d+%.%d+$"), id .. ": vitamin K " .. f.k1)
      if tonumber(f.k1) == 0 then zeros = zeros + 1 end
    end
    for _, m in ipairs(f.measures) do
      check(m.amount:match("^%d+%.%d+$") and tonumber(m.amount) > 0, id .. ": amount " .. m.amount)
      check(m.grams:match("^%d+%.%d+$"), id .. ": grams " .. m.grams)
    end
  end
  check(zeros > 0, "no measured zero at all")
  equal(tbl.foods["16114"].name, "Tempeh", "16114")
  equal(tbl.foods["16114"].k1, nil, "tempeh has no USDA vitamin K value")
end)

case("(a) spinach, raw: 482.9 ug per 100 g, 1 cup = 30 g (144.87 ug a cup)", function()
  local s = tbl.foods["11457"]
  check(s, "no food 11457")
  equal(s.name, "Spinach, raw", "name")
  equal(s.k1, "482.9", "vitamin K")
  local cup = s.measures[1]
  equal(cup.name, "cup", "first measure")
  equal(cup.amount, "1.0", "cup amount")
  equal(cup.grams, "30.0", "cup grams")
  check(math.abs(tonumber(s.k1) * tonumber(cup.grams) / 100 - 144.87) < 1e-9, "ug per cup")
  equal(#s.measures, 4, "spinach measures")
end)

case("(a) natto: 23.1 ug per 100 g (USDA counts phylloquinone only)", function()
  local n = tbl.foods["16113"]
  check(n, "no food 16113")
  equal(n.name, "Natto", "name")
  equal(n.k1, "23.1", "vitamin K")
  equal(n.deprecated, false, "natto deprecated")
end)

case("(a) deprecated foods are marked, current ones are not", function()
  equal(tbl.foods["03266"].deprecated, true, "03266 (babyfood juice, deprecated by the package)")
  equal(tbl.foods["11457"].deprecated, false, "spinach")
end)

case("(a) the tool refuses a missing package file", function()
  local ok, code = shell("lua5.4 tools/usda.lua --deb /nonexistent/cronometer.deb >/dev/null 2>&1")
  check(not ok and code == 1, "expected exit status 1")
end)

---------------------------------------------------------------- (b) against the package

local function find_deb()
  local env = os.getenv("K2_CRONOMETER_DEB")
  if env and env ~= "" then return env, true end
  local p = io.popen("ls build/cronometer_*.deb 2>/dev/null | LC_ALL=C sort")
  local last
  for line in p:read("*a"):gmatch("[^\n]+") do last = line end
  p:close()
  return last, false
end

local ENTITIES = { amp = "&", lt = "<", gt = ">", quot = '"', apos = "'" }

local function attr(tag, name)
  local v = tag:match("%s" .. name .. '="([^"]*)"')
  return v and (v:gsub("&(%a+);", ENTITIES))
end

-- The package's own view of one food, read straight from its XML file.
local function xml_food(xml)
  local head = xml:match("<food%s[^>]*>")
  local food = { id = attr(head, "uid"), name = attr(head, "name"), measures = {} }
  for tag in xml:gmatch("<measure%s[^>]*>") do
    food.measures[#food.measures + 1] = { amount = attr(tag, "amount"), grams = attr(tag, "grams"), name = attr(tag, "name") }
  end
  for tag in xml:gmatch("<nutrient%s[^>]*>") do
    if attr(tag, "name") == "Vitamin K" then food.k1 = attr(tag, "amount") end
  end
  return food
end

local function same_food(got, want)
  equal(got.name, want.name, want.id .. " name")
  equal(got.k1, want.k1, want.id .. " vitamin K")
  equal(#got.measures, #want.measures, want.id .. " number of measures")
  for i, m in ipairs(want.measures) do
    local g = got.measures[i]
    equal(g.amount .. " " .. g.name .. " = " .. g.grams, m.amount .. " " .. m.name .. " = " .. m.grams,
      want.id .. " measure " .. i)
  end
end

local deb, asked = find_deb()
if deb and not slurp(deb) and not asked then deb = nil end

if not deb then
  local why = "no cronometer .deb: set K2_CRONOMETER_DEB or put one in build/ (cd build && apt-get download cronometer)"
  skip("(b) a fresh extraction equals the committed table", why)
  skip("(b) every package food is in the table and no other", why)
  skip("(b) a random sample of foods and all their measures match the package's XML", why)
else
  local tmp = os.tmpname()
  os.remove(tmp)
  shell("mkdir -m 700 " .. quote(tmp))

  case("(b) a fresh extraction equals the committed table (" .. deb .. ")", function()
    check(slurp(deb), "cannot read " .. deb)
    local ok = shell(("lua5.4 tools/usda.lua --deb %s -o %s"):format(quote(deb), quote(tmp .. "/fresh.tsv")))
    check(ok, "tools/usda.lua failed")
    local fresh = slurp(tmp .. "/fresh.tsv")
    if fresh == text then return end
    local a, b, n = {}, {}, 0
    for l in text:gmatch("[^\n]*") do a[#a + 1] = l end
    for l in fresh:gmatch("[^\n]*") do b[#b + 1] = l end
    repeat n = n + 1 until a[n] ~= b[n]
    error(("line %d differs:\n     committed: %s\n     extracted: %s"):format(n, tostring(a[n]), tostring(b[n])))
  end)

  local dir = tmp .. "/jar/usda_sr24"
  local unpacked = shell(("dpkg -x %s %s && unzip -q %s -d %s"):format(quote(deb), quote(tmp .. "/pkg"),
    quote(tmp .. "/pkg/usr/share/cronometer/usda_sr24.jar"), quote(tmp .. "/jar")))

  local xml_ids = {}
  case("(b) every package food is in the table and no other", function()
    check(unpacked, "could not unpack " .. deb)
    local p = io.popen("ls " .. quote(dir))
    for name in p:read("*a"):gmatch("[^\n]+") do
      local id = name:match("^(%d+)%.xml$")
      if id then xml_ids[#xml_ids + 1] = id end
    end
    p:close()
    table.sort(xml_ids)
    equal(#xml_ids, #tbl.order, "foods in the package")
    for i, id in ipairs(xml_ids) do equal(tbl.order[i], id, "food " .. i) end
    local deprecated = {}
    for id in slurp(dir .. "/deprecated.index"):gmatch("(%d+)|") do deprecated[id] = true end
    for _, id in ipairs(xml_ids) do equal(tbl.foods[id].deprecated, deprecated[id] == true, id .. " deprecated") end
  end)

  case("(b) a random sample of foods and all their measures match the package's XML", function()
    check(#xml_ids > SAMPLE, "the package's foods were not listed")
    local seed = tonumber(os.getenv("K2_SEED") or "") or os.time()
    print("     seed " .. seed .. " (K2_SEED=" .. seed .. " repeats this sample)")
    math.randomseed(seed)
    local pool, measures = {}, 0
    for i, id in ipairs(xml_ids) do pool[i] = id end
    local sample = { "11457", "16113" }
    for i = 1, SAMPLE do
      local j = math.random(i, #pool)
      pool[i], pool[j] = pool[j], pool[i]
      sample[#sample + 1] = pool[i]
    end
    for _, id in ipairs(sample) do
      local want = xml_food(slurp(dir .. "/" .. id .. ".xml"))
      equal(want.id, id, id .. ".xml uid")
      same_food(tbl.foods[id], want)
      measures = measures + #want.measures
    end
    print(("     %d foods, %d measures compared"):format(#sample, measures))
    check(#sample >= 200 and measures > 0)
  end)

  shell("rm -rf " .. quote(tmp))
end

print(("usda: %d passed, %d failed%s"):format(passed, failed, skipped > 0 and (", " .. skipped .. " skipped") or ""))
os.exit(failed == 0 and 0 or 1)
