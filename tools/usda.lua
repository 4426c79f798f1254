-- usda.lua: extracts the USDA National Nutrient Database for Standard
-- Reference, release 24 (SR24), from Debian's `cronometer` package into
-- data/food/usda-sr24.tsv: per food its NDB number, its name, its vitamin K
-- (phylloquinone, K1) in micrograms per 100 g as USDA wrote it (an empty field
-- when USDA has no value: "not measured", never 0), whether the package marks
-- it deprecated, and its household measures with their weight in grams.
--
--   lua5.4 tools/usda.lua [--deb FILE.deb] [-o OUT]     (default OUT: stdout)
--
-- The .deb is FILE, else $K2_CRONOMETER_DEB, else build/cronometer_*.deb, else
-- it is fetched into build/ with `apt-get download cronometer` (no Java is
-- installed: the package is only unpacked). Needs lua5.4, dpkg, unzip,
-- sha256sum. The package's usr/share/cronometer/usda_sr24.jar is a zip of one
-- XML file per food plus deprecated.index ("id|old name" per line). The output
-- format is described in data/food/README.md; it is sorted by id and byte-for-
-- byte the same for the same package, so a re-extraction can be diffed.

local JAR = "usr/share/cronometer/usda_sr24.jar"
local XML_DIR = "usda_sr24"

---------------------------------------------------------------- shell

local function quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function run(cmd)
  local ok, how, code = os.execute(cmd)
  if not ok then error(("command failed (%s %s): %s"):format(tostring(how), tostring(code), cmd), 0) end
end

local function read_command(cmd)
  local p = assert(io.popen(cmd))
  local out = p:read("a")
  local ok = p:close()
  if not ok then error("command failed: " .. cmd, 0) end
  return out
end

local function read_file(path)
  local f, err = io.open(path, "rb")
  if not f then error(err, 0) end
  local text = f:read("a")
  f:close()
  return text
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

local function temp_dir()
  local path = os.tmpname()
  os.remove(path)
  run("mkdir -m 700 " .. quote(path))
  return path
end

---------------------------------------------------------------- the package

-- The newest cached build/cronometer_*.deb, or nil.
local function cached_deb()
  local list = read_command("ls build/cronometer_*.deb 2>/dev/null | LC_ALL=C sort || true")
  local last
  for line in list:gmatch("[^\n]+") do last = line end
  return last
end

local function find_deb(wanted)
  if wanted then return wanted end
  local env = os.getenv("K2_CRONOMETER_DEB")
  if env and env ~= "" then return env end
  local cached = cached_deb()
  if cached then return cached end
  run("mkdir -p build && cd build && apt-get download cronometer >&2")
  return cached_deb() or error("apt-get download cronometer left no build/cronometer_*.deb", 0)
end

local function deb_field(deb, field)
  return (read_command("dpkg-deb -f " .. quote(deb) .. " " .. field):gsub("%s+$", ""))
end

local function sha256(path)
  return read_command("sha256sum " .. quote(path)):match("^(%x+)")
end

---------------------------------------------------------------- XML

local ENTITIES = { amp = "&", lt = "<", gt = ">", quot = '"', apos = "'" }

local function decode(text)
  return (text:gsub("&(#?x?)(%w+);", function(kind, name)
    if kind == "" then return ENTITIES[name] end
    local code = tonumber(name, kind == "#x" and 16 or 10)
    if code and code < 128 then return string.char(code) end
  end))
end

local function attributes(tag)
  local attrs = {}
  for name, value in tag:gmatch('([%w_]+)="([^"]*)"') do attrs[name] = decode(value) end
  return attrs
end

-- One food file: { id=, name=, k1= (string or nil), measures = { {amount=, name=, grams=} ... } }.
local function parse_food(xml, file)
  local head = xml:match("<food%s([^>]*)>")
  if not head then error(file .. ": no <food> element", 0) end
  local food = attributes(head)
  local parsed = { id = food.uid, name = food.name, measures = {} }
  if not parsed.id or not parsed.name then error(file .. ": <food> without uid or name", 0) end
  for tag in xml:gmatch("<measure%s([^>]*)>") do
    local m = attributes(tag)
    if not (m.amount and m.name and m.grams) then error(file .. ": incomplete <measure>", 0) end
    parsed.measures[#parsed.measures + 1] = m
  end
  for tag in xml:gmatch("<nutrient%s([^>]*)>") do
    local n = attributes(tag)
    if n.name == "Vitamin K" then
      if parsed.k1 then error(file .. ": two Vitamin K values", 0) end
      parsed.k1 = n.amount
    end
  end
  return parsed
end

---------------------------------------------------------------- output

-- A field must not break the line-and-tab format; USDA's text never does.
local function field(text, what, id)
  if text:find("[\t\r\n]") then error(("food %s: %s contains a tab or newline"):format(id, what), 0) end
  return text
end

local function deprecated_ids(dir)
  local ids = {}
  for line in read_file(dir .. "/deprecated.index"):gmatch("[^\r\n]+") do
    local id = line:match("^(%d+)|")
    if id then ids[id] = true end
  end
  return ids
end

local function food_files(dir)
  local files = {}
  for name in read_command("ls " .. quote(dir)):gmatch("[^\n]+") do
    if name:match("^%d+%.xml$") then files[#files + 1] = name end
  end
  table.sort(files)
  return files
end

local function header(info, counts)
  return table.concat({
    "# k2 food table: USDA National Nutrient Database for Standard Reference, Release 24 (SR24)",
    "# source: U.S. Department of Agriculture, Agricultural Research Service, as shipped by Debian",
    ("# package: Debian %s %s, architecture %s, .deb sha256 %s"):format(info.package, info.version, info.arch, info.deb_sha),
    ("# file: %s, sha256 %s"):format(JAR, info.jar_sha),
    "# licence: public domain (the package's copyright file: USDA food composition data is in the",
    "#   public domain and there is no copyright)",
    ("# foods: %d, with vitamin K: %d, deprecated by the package: %d, measures: %d"):format(
      counts.foods, counts.k1, counts.deprecated, counts.measures),
    "# made by: lua5.4 tools/usda.lua -o data/food/usda-sr24.tsv (format: data/food/README.md)",
    "# food line:    id <TAB> k1 ug per 100 g (empty: not measured) <TAB> D if deprecated <TAB> name",
    "# measure line: <TAB> amount <TAB> grams <TAB> measure name  (belongs to the food above)",
  }, "\n") .. "\n"
end

local function render(dir, info)
  local deprecated = deprecated_ids(dir)
  local lines = {}
  local counts = { foods = 0, k1 = 0, deprecated = 0, measures = 0 }
  for _, file in ipairs(food_files(dir)) do
    local food = parse_food(read_file(dir .. "/" .. file), file)
    if food.id .. ".xml" ~= file then error(file .. ": uid is " .. food.id, 0) end
    local flag = deprecated[food.id] and "D" or ""
    counts.foods = counts.foods + 1
    if food.k1 then counts.k1 = counts.k1 + 1 end
    if flag ~= "" then counts.deprecated = counts.deprecated + 1 end
    lines[#lines + 1] = table.concat({ food.id, food.k1 or "", flag, field(food.name, "name", food.id) }, "\t")
    for _, m in ipairs(food.measures) do
      counts.measures = counts.measures + 1
      lines[#lines + 1] = table.concat({ "", m.amount, m.grams, field(m.name, "measure", food.id) }, "\t")
    end
  end
  return header(info, counts) .. table.concat(lines, "\n") .. "\n"
end

local function extract(deb)
  if not exists(deb) then error("no such package file: " .. deb, 0) end
  local tmp = temp_dir()
  local ok, result = pcall(function()
    run(("dpkg -x %s %s"):format(quote(deb), quote(tmp .. "/pkg")))
    local jar = tmp .. "/pkg/" .. JAR
    run(("unzip -q %s -d %s"):format(quote(jar), quote(tmp .. "/jar")))
    local info = {
      package = deb_field(deb, "Package"), version = deb_field(deb, "Version"),
      arch = deb_field(deb, "Architecture"), deb_sha = sha256(deb), jar_sha = sha256(jar),
    }
    return render(tmp .. "/jar/" .. XML_DIR, info)
  end)
  run("rm -rf " .. quote(tmp))
  if not ok then error(result, 0) end
  return result
end

---------------------------------------------------------------- main

local function main(args)
  local deb, out
  local i = 1
  while i <= #args do
    local a = args[i]
    if a == "--deb" then deb = args[i + 1]; i = i + 2
    elseif a == "-o" then out = args[i + 1]; i = i + 2
    else error("usage: lua5.4 tools/usda.lua [--deb FILE.deb] [-o OUT]", 0) end
  end
  local text = extract(find_deb(deb))
  if out then
    local f = assert(io.open(out .. ".tmp", "wb"))
    f:write(text)
    f:close()
    assert(os.rename(out .. ".tmp", out))
  else
    io.write(text)
  end
end

local ok, err = pcall(main, arg or {})
if not ok then
  io.stderr:write("usda.lua: ", tostring(err), "\n")
  os.exit(1)
end
