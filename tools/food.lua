-- food.lua: writes the SQL of the food image (issue 14) from the USDA table and the food facts.
-- Usage: lua5.4 tools/food.lua data > build/k2_food.sql   (then sqlite3, VACUUM, embed.lua)
--
-- Reads data/food/usda-sr24.tsv (format: data/food/README.md), data/food/weights.tsv (the
-- mass units an amount may use, grams each, with their definition) and the `Food:` lines of
-- data/facts/food*.rec (which USDA foods a literature fact describes). Writes:
--   meta(key, value)                    source and counts of the table
--   food(n, k1, deprecated, linked)     one row per USDA food, n its NDB number; k1 µg/100 g,
--                                       NULL = not measured; linked: 1 when a literature fact is
--                                       linked to it (a search says so)
--   search_order(v)                     one blob: what csrc/k2_food.c ranks a search's matches by,
--                                       read once when the table opens. Little-endian: "k2fo",
--                                       version 1, food count, names' bytes (4 × u32); per food in
--                                       NDB order n, rank, flags (1 deprecated, 2 linked, 4 K1
--                                       measured) (u32 each), K1 (f64), the keys of the name's first
--                                       part, second part and first word (FNV-1a 64 of the key,
--                                       0 = none), the name's offset and length (u32 each); then the
--                                       names, each ended by a NUL byte. A key is the words
--                                       lowercased, plurals stripped (name_key below), as the core
--                                       does for the words asked for. rank: the query-free part of
--                                       the order, the plainer first — the score from
--                                       data/food/ranking.tsv, plain phrases − variant phrases —,
--                                       then a measured K1, then the shorter name.
--   measure(food, seq, amount, grams, name)   the food's household measures, in USDA's order
--   link(food, seq, fact, form, value)  literature facts per food, in data file order
--   weight(name, grams)                 g, kg, oz, lb and their spellings
--   volume(name, ml, kind)              mL, L, cup, tbsp … (data/food/volumes.tsv): kind amount or measure
--   synonym(kind, phrase, means)        data/food/synonyms.tsv: kind word (phrase searched as
--                                       means) or prefer (whole text phrase: food id means first);
--                                       phrase in name_key form
--   food_fts                            FTS5 over the names (porter stemming), contentless: the
--                                       names themselves are kept once, in search_order
-- Fails (exit 1, message on stderr) on a malformed line or a Food id the table lacks.
local dir = arg[1] or "data"

local function die(fmt, ...)
  io.stderr:write("food.lua: ", fmt:format(...), "\n")
  os.exit(1)
end

local function q(s) return s == nil and "NULL" or "'" .. tostring(s):gsub("'", "''") .. "'" end
local function num(s) return (s == nil or s == "") and "NULL" or assert(tonumber(s), s) and s end

local out = {}
local function emit(s) out[#out + 1] = s end

emit("PRAGMA page_size = 4096; BEGIN;")
emit("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);")
-- n is the NDB number itself (the id is n written with 5 digits), so no second index is needed
emit("CREATE TABLE food(n INTEGER PRIMARY KEY, k1 REAL, deprecated INTEGER NOT NULL,"
  .. " linked INTEGER NOT NULL DEFAULT 0);")
emit("CREATE TABLE search_order(v BLOB NOT NULL);")
emit("CREATE TABLE synonym(kind TEXT NOT NULL, phrase TEXT NOT NULL, means TEXT NOT NULL, PRIMARY KEY(kind, phrase))"
  .. " WITHOUT ROWID;")

-- The key of a name's words, the same as k2_food.c's for the user's: lowercase ASCII words
-- joined by one space, each without a plural ending ("Tomatoes" and "tomato" are "tomato";
-- "berries", "berry").
local function name_key(text)
  local words = {}
  for w in text:lower():gmatch("[%w\128-\255]+") do
    if #w > 3 and w:sub(-3) == "oes" then w = w:sub(1, -3)
    elseif #w > 3 and w:sub(-3) == "ies" then w = w:sub(1, -4) .. "y"
    elseif #w > 3 and w:sub(-1) == "s" and w:sub(-2) ~= "ss" then w = w:sub(1, -2) end
    words[#words + 1] = w
  end
  return table.concat(words, " ")
end

-- FNV-1a, 64 bits (integers wrap in Lua 5.4 as in C's uint64): the hash of a key, 0 for none.
local function key_hash(key)
  if key == "" then return 0 end
  local h = 0xcbf29ce484222325
  for i = 1, #key do h = (h ~ key:byte(i)) * 0x100000001b3 end
  return h == 0 and 1 or h
end

-- Calls each(line, path) for every line of data/food/NAME that is neither blank nor a comment.
local function table_lines(name, each)
  local path = dir .. "/food/" .. name
  local file = io.open(path, "rb") or die("cannot read %s", path)
  for line in file:lines() do
    if line ~= "" and line:sub(1, 1) ~= "#" then each(line, path) end
  end
  file:close()
end

-- data/food/ranking.tsv: phrases that make a name the plain food (+1) or a variant (−1).
local ranking = {}
table_lines("ranking.tsv", function(line, path)
  local kind, phrase = line:match("^(%a+)\t(.+)$")
  if kind ~= "plain" and kind ~= "variant" then die("%s: bad line %q", path, line) end
  ranking[#ranking + 1] = { " " .. phrase .. " ", kind == "plain" and 1 or -1 }
end)
local function plain_score(name)
  local text = " " .. name:lower():gsub("[^%w\128-\255%-]+", " ") .. " "
  local score = 0
  for _, r in ipairs(ranking) do
    if text:find(r[1], 1, true) then score = score + r[2] end
  end
  return score
end
emit("CREATE TABLE measure(food INTEGER NOT NULL, seq INTEGER NOT NULL, amount REAL NOT NULL,"
  .. " grams REAL NOT NULL, name TEXT NOT NULL, PRIMARY KEY(food, seq)) WITHOUT ROWID;")
emit("CREATE TABLE link(food INTEGER NOT NULL, seq INTEGER NOT NULL, fact TEXT NOT NULL, form TEXT NOT NULL,"
  .. " value REAL, PRIMARY KEY(food, seq)) WITHOUT ROWID;")
emit("CREATE TABLE weight(name TEXT PRIMARY KEY, grams REAL NOT NULL) WITHOUT ROWID;")
emit("CREATE TABLE volume(name TEXT PRIMARY KEY, ml REAL NOT NULL, kind TEXT NOT NULL) WITHOUT ROWID;")

-- The USDA table.
local tsv = dir .. "/food/usda-sr24.tsv"
local f = io.open(tsv, "rb") or die("cannot read %s", tsv)
local n, count, foods, measures, header = 0, 0, {}, 0, {}
local order = {} -- per food, in file (NDB) order: what the search_order blob holds
local seq = 0
for line in f:lines() do
  if line:sub(1, 1) == "#" then
    header[#header + 1] = line:sub(3)
  elseif line:sub(1, 1) == "\t" then
    local amount, grams, name = line:match("^\t([^\t]+)\t([^\t]+)\t(.+)$")
    if not amount or n == 0 then die("%s: bad measure line %q", tsv, line) end
    seq = seq + 1
    measures = measures + 1
    emit(("INSERT INTO measure VALUES(%d,%d,%s,%s,%s);"):format(n, seq, num(amount), num(grams), q(name)))
  else
    local id, k1, flag, name = line:match("^(%d%d%d%d%d)\t([^\t]*)\t([D]?)\t(.+)$")
    if not id then die("%s: bad food line %q", tsv, line) end
    n, seq, count = tonumber(id), 0, count + 1
    foods[id] = n
    local plain = math.max(-49, math.min(49, plain_score(name)))
    local rank = (50 - plain) * 10000 + (k1 == "" and 1000 or 0) + math.min(999, #name)
    emit(("INSERT INTO food VALUES(%d,%s,%d,0);"):format(n, num(k1), flag == "D" and 1 or 0))
    order[#order + 1] = { n = n, rank = rank, name = name, k1 = tonumber(k1), deprecated = flag == "D",
      head = key_hash(name_key(name:match("^[^,]*"))), head2 = key_hash(name_key(name:match("^[^,]*,([^,]*)") or "")),
      first = key_hash(name_key(name:match("^[%w\128-\255]*"))) }
  end
end
f:close()
emit(("INSERT INTO meta VALUES('source',%s);"):format(q(table.concat(header, "\n", 1, 4))))
emit(("INSERT INTO meta VALUES('foods','%d'), ('measures','%d');"):format(count, measures))

-- Mass units.
table_lines("weights.tsv", function(line, path)
  local names, grams = line:match("^([^\t]+)\t([%d.]+)\t")
  if not names then die("%s: bad line %q", path, line) end
  for name in names:gmatch("[^,%s]+") do
    emit(("INSERT INTO weight VALUES(%s,%s);"):format(q(name), num(grams)))
  end
end)

-- Volume units.
table_lines("volumes.tsv", function(line, path)
  local names, ml, kind = line:match("^([^\t]+)\t([%d.]+)\t(%a+)\t")
  if not names or (kind ~= "amount" and kind ~= "measure") then die("%s: bad line %q", path, line) end
  for name in names:gmatch("[^,]+") do
    emit(("INSERT INTO volume VALUES(%s,%s,%s);"):format(q(name), num(ml), q(kind)))
  end
end)

-- Synonyms: a word phrase must be in no USDA name, else rewriting it would hide that food.
local name_keys
table_lines("synonyms.tsv", function(line, path)
  local kind, phrase, means = line:match("^(%a+)\t([^\t]+)\t([^\t]+)$")
  if kind ~= "word" and kind ~= "prefer" then die("%s: bad line %q", path, line) end
  local key = name_key(phrase)
  if kind == "prefer" and not foods[means] then die("%s: %q prefers food %s, which the table lacks", path, phrase, means) end
  if kind == "word" then
    if not name_keys then
      name_keys = {}
      for _, o in ipairs(order) do name_keys[#name_keys + 1] = " " .. name_key(o.name) .. " " end
    end
    for _, k in ipairs(name_keys) do
      if k:find(" " .. key .. " ", 1, true) then die("%s: %q is in the USDA name %q; use prefer", path, phrase, k) end
    end
  end
  emit(("INSERT INTO synonym VALUES(%s,%s,%s);"):format(q(kind), q(key), q(kind == "word" and means:lower() or means)))
end)

-- Literature facts linked to foods, in file order.
local links = {}
local p = io.popen("ls " .. dir .. "/facts/food*.rec 2>/dev/null")
for path in p:lines() do
  local fact, form, value
  local lineno = 0
  for line in io.lines(path) do
    lineno = lineno + 1
    local k, v = line:match("^(%a+):%s*(.-)%s*$")
    if line == "" then fact = nil -- a blank line ends a record
    elseif k == "Fact" then fact, form, value = v, nil, nil
    elseif k == "Forms" and fact then form = v
    elseif k == "Value" and fact then value = v
    elseif k == "Food" and fact then
      for id in v:gmatch("[^,%s]+") do
        local fn = foods[id] or die("%s:%d: fact %s names food %s, which the USDA table lacks", path, lineno, fact, id)
        links[fn] = (links[fn] or 0) + 1
        emit(("INSERT INTO link VALUES(%d,%d,%s,%s,%s);"):format(fn, links[fn], q(fact), q(form or "K"), num(value)))
      end
    end
  end
end
p:close()
local linked = {}
for fn in pairs(links) do linked[#linked + 1] = fn end
table.sort(linked)
if #linked > 0 then emit(("UPDATE food SET linked = 1 WHERE n IN (%s);"):format(table.concat(linked, ","))) end

-- The search order blob (format above).
local records, names, names_len = {}, {}, 0
for i, o in ipairs(order) do
  if i > 1 and o.n <= order[i - 1].n then die("%s: foods out of NDB order at %05d", tsv, o.n) end
  local flags = (o.deprecated and 1 or 0) | (links[o.n] and 2 or 0) | (o.k1 and 4 or 0)
  records[i] = string.pack("<I4I4I4di8i8i8I4I4", o.n, o.rank, flags, o.k1 or 0, o.head, o.head2, o.first,
    names_len, #o.name)
  names[i] = o.name .. "\0"
  names_len = names_len + #o.name + 1
end
local blob = "k2fo" .. string.pack("<I4I4I4", 1, #order, names_len) .. table.concat(records) .. table.concat(names)
emit(("INSERT INTO search_order VALUES(X'%s');"):format((blob:gsub(".", function(c) return ("%02X"):format(c:byte()) end))))

emit("CREATE VIRTUAL TABLE food_fts USING fts5(name, content='',"
  .. " tokenize='porter unicode61 remove_diacritics 2');")
-- Small FTS5 pages (128 bytes, not 4050) give long doclists ("raw": 1332 foods, "cooked": 1852)
-- a doclist index, so an AND seeks through them instead of walking them: "raw spinach" 45 -> 19
-- µs, one word unchanged (11 µs), the image 1.5 % larger; 'optimize' leaves one segment.
emit("INSERT INTO food_fts(food_fts, rank) VALUES('pgsz', 128);")
for _, o in ipairs(order) do emit(("INSERT INTO food_fts(rowid, name) VALUES(%d,%s);"):format(o.n, q(o.name))) end
emit("INSERT INTO food_fts(food_fts) VALUES('optimize');")
emit("COMMIT;")
io.write(table.concat(out, "\n"), "\n")
