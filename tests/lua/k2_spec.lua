-- k2_spec.lua: the public Lua API (require "k2") as a user calls it, run by
-- busted under Lua 5.4 and under LuaJIT (the same file, both runtimes).
-- Expected values come from data/ (through the facts' ids) and from exact
-- unit arithmetic; no timing is asserted here (see `make bench`).

local k2 = require("k2")

local MB = string.rep("a", 1024 * 1024)
local WRONG_TYPES = { 42, true, {}, function() end }

local function has_form(fact, form)
  for _, f in ipairs(fact.forms) do if f == form then return true end end
  return false
end

local function ids(list)
  local out = {}
  for i, f in ipairs(list) do out[i] = f.id end
  return table.concat(out, " ")
end

-- Text with every run of white space as one space (wrapping aside).
local function flat(text) return (text:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")) end

local function assert_no_table_address(text)
  assert.is_nil(text:find("table: 0x", 1, true), "printed a table address:\n" .. text)
end

describe("k2 module", function()
  it("has a semantic version and knows its ABI", function()
    assert.matches("^%d+%.%d+%.%d+$", k2.version)
    assert.equal(_VERSION:match("%d+%.%d+"), k2.abi)
  end)

  it("reports the built-in store", function()
    local info = k2.info()
    assert.is_true(info.facts >= 300)
    assert.is_true(info.sources >= 80)
    assert.matches("^3%.", info.sqlite_version)
    assert.matches("facts", tostring(info))
  end)
end)

describe("k2.search", function()
  it("finds calcification facts, best first, and prints them as a numbered list", function()
    local list = assert(k2.search("calcification"))
    assert.is_true(#list >= 5 and #list <= 10)
    for i = 2, #list do assert.is_true(list[i - 1].rank <= list[i].rank) end
    local text = tostring(list)
    assert.matches("^ 1%. ", text)
    assert.matches("\n 2%. ", text)
    assert_no_table_address(text)
  end)

  it("honours limit and filters", function()
    local list = assert(k2.search("dose", { limit = 3, form = "MK7" }))
    assert.equal(3, #list)
    for _, f in ipairs(list) do
      assert.is_true(has_form(f, "MK-7") or has_form(f, "K2") or has_form(f, "K"), f.id)
    end
    local pk = assert(k2.search("peak", { topic = "pharmacokinetics", limit = 50 }))
    for _, f in ipairs(pk) do assert.equal("pharmacokinetics", f.topic) end
  end)

  it("reads a decomposed accent as the precomposed one", function()
    -- "é" written as "e" + U+0301 (COMBINING ACUTE ACCENT)
    assert.same(ids(assert(k2.search("ménadione"))), ids(assert(k2.search("me\204\129nadione"))))
    assert.same(ids(assert(k2.search("phylloquinoné"))), ids(assert(k2.search("phylloquinone\204\129"))))
    assert.equal("K3", k2.form("me\204\129nadione"))
    local none, err = k2.search("\204\129")
    assert.is_nil(none)
    assert.matches("no words", err)
  end)

  it("treats form names and their spellings alike", function()
    local base = ids(assert(k2.search("MK-7", { limit = 1000 })))
    for _, spelling in ipairs({ "MK7", "mk-7", "menaquinone-7", "Menaquinone 7" }) do
      assert.equal(base, ids(assert(k2.search(spelling, { limit = 1000 }))), spelling)
    end
  end)

  it("never lets the text act as query syntax", function()
    for _, text in ipairs({ '"', "AND", "NEAR(a b)", "claim:warfarin", "*", "-", "(", "x OR OR y" }) do
      local list, err = k2.search(text)
      assert.is_true(list ~= nil or type(err) == "string", text)
    end
  end)

  it("returns nil and a message for text it can't use", function()
    for _, text in ipairs({ "", "   ", "!!!", MB, "war\0farin", "\255\254" }) do
      local list, err = k2.search(text)
      assert.is_nil(list)
      assert.is_string(err)
    end
    local _, err = k2.search("dose", { form = "MK-9" })
    assert.matches("unknown form 'MK%-9'; known: K, K1, K2, K3, MK%-4, MK%-7", err)
  end)

  it("reports a wrong type at the caller's line, not inside k2", function()
    local ok, err = pcall(function() k2.fact(42) end)
    assert.is_false(ok)
    assert.matches("k2_spec%.lua:%d+: bad argument #1 to 'fact'", err)
    ok, err = pcall(function() k2.search("x", { limt = 1 }) end)
    assert.is_false(ok)
    assert.matches("k2_spec%.lua:%d+: bad argument #2 to 'search'", err)
  end)

  it("says what to try when nothing matches", function()
    local list = assert(k2.search("zzzqqq"))
    assert.equal(0, #list)
    assert.matches("try fewer or shorter words", tostring(list))
  end)

  it("raises for programmer mistakes, naming the argument", function()
    assert.has_error(function() k2.search() end, "bad argument #1 to 'search' (string expected, got nil)")
    for _, v in ipairs(WRONG_TYPES) do
      assert.error_matches(function() k2.search(v) end, "bad argument #1 to 'search' (string expected, got " .. type(v) .. ")",
        1, true)
    end
    assert.has_error(function() k2.search("x", "limit") end, "bad argument #2 to 'search' (table expected, got string)")
    assert.has_error(function() k2.search("x", { limt = 3 }) end,
      "bad argument #2 to 'search' (unknown option 'limt'; known: evidence, form, limit, population, topic)")
    assert.has_error(function() k2.search("x", { limit = "3" }) end,
      "bad argument #2 to 'search' (option 'limit' must be an integer, got string)")
    assert.error_matches(function() k2.search("x", { limit = 0 }) end, "option 'limit' must be a whole number from 1", 1, true)
    assert.error_matches(function() k2.search("x", { form = 7 }) end, "option 'form' must be a string, got number", 1, true)
  end)
end)

describe("k2.facts", function()
  it("filters by form and topic", function()
    local list = assert(k2.facts({ form = "MK-7", topic = "pharmacokinetics" }))
    assert.is_true(#list >= 10)
    for _, f in ipairs(list) do
      assert.equal("pharmacokinetics", f.topic)
      assert.is_true(has_form(f, "MK-7") or has_form(f, "K2") or has_form(f, "K"), f.id)
    end
    assert_no_table_address(tostring(list))
  end)

  it("returns every fact without a filter, each with source and evidence", function()
    local all = assert(k2.facts())
    assert.equal(k2.info().facts, #all)
    for _, f in ipairs(all) do
      assert.is_string(f.evidence)
      assert.is_string(f.source.id)
      assert.is_string(f.source.title)
      assert.is_string(f.source.year)
      assert.is_string(f.source.kind)
      assert.is_string(f.source.ref)
    end
  end)

  it("says what is known when a filter word is unknown", function()
    local list, err = k2.facts({ topic = "dosage" })
    assert.is_nil(list)
    assert.matches("unknown topic 'dosage'; known: .*dosing", err)
    list, err = k2.facts({ evidence = "hearsay" })
    assert.is_nil(list)
    assert.matches("human RCT", err)
  end)

  it("raises on a non-table and on unknown keys", function()
    assert.has_error(function() k2.facts("MK-7") end, "bad argument #1 to 'facts' (table expected, got string)")
    assert.error_matches(function() k2.facts({ from = "MK-7" }) end, "bad argument #1 to 'facts' (unknown option 'from'", 1, true)
    assert.error_matches(function() k2.facts({ form = {} }) end, "option 'form' must be a string, got table", 1, true)
  end)
end)

describe("k2.fact", function()
  it("returns one fact with its numbers, units and source", function()
    local f = assert(k2.fact("seed.mk7.tmax"))
    assert.equal("seed.mk7.tmax", f.id)
    assert.equal("pharmacokinetics", f.topic)
    assert.equal(4, f.value)
    assert.equal("h", f.unit)
    assert.equal("MK-7", f.form)
    assert.same({ "MK-7" }, f.forms)
    assert.same({ 12 }, f.seed)
    assert.equal("{MK-7}", tostring(f.forms))
    assert.equal("{12}", tostring(f.seed))
    assert.is_nil(f.rank, "rank is for search results only")
    assert.is_string(f.source.title)
    local text = tostring(f)
    assert.matches("4 h", text)
    assert.matches("evidence: popular article", text) -- seed p12 is a popular page
    assert.matches("source: %[seed%-p12%]", text)
    assert.matches("sources disagree %[mk7%-tmax%]", text)
    assert_no_table_address(text)
  end)

  it("shows both sides of the children's dose conflict", function()
    local f = assert(k2.fact("seed.k2.children-under-12"))
    assert.equal(45, f.value)
    local text = tostring(f)
    assert.matches("sources disagree %[k2%-children%]", text)
    assert.matches("seed%.k2%.label%-under%-18", text)
    assert.matches("not medical advice", text)
    assert.matches("warfarin", text)
    -- both come from the notice a dosing fact ends with, not from the fact itself
    assert.equal(k2.notice(), f.notice)
    assert.is_nil(f.claim:find("warfarin", 1, true))
    assert.equal(flat(f.notice), flat(text):sub(-#flat(f.notice)))
    local timing_free = assert(k2.fact("seed.mk7.tmax"))
    assert.is_nil(timing_free.notice, "a pharmacokinetics fact carries no notice")
    assert.is_nil(tostring(timing_free):find("not medical advice", 1, true))
  end)

  it("returns nil and a message for unknown or unusable ids", function()
    for _, id in ipairs({ "no.such.fact", "", MB, "a\0b", "\255" }) do
      local f, err = k2.fact(id)
      assert.is_nil(f)
      assert.is_string(err)
    end
    assert.has_error(function() k2.fact() end, "bad argument #1 to 'fact' (string expected, got nil)")
    for _, v in ipairs(WRONG_TYPES) do
      assert.error_matches(function() k2.fact(v) end, "bad argument #1 to 'fact' (string expected, got " .. type(v), 1, true)
    end
  end)
end)

describe("k2.sources and conflicts", function()
  it("lists sources readably", function()
    local list = k2.sources()
    assert.equal(k2.info().sources, #list)
    local text = tostring(list)
    assert.matches("%[GE04%]", text)
    assert_no_table_address(text)
    local s = assert(k2.source("S07b"))
    assert.equal("2007", s.year)
    assert.matches("doi:10%.1182/blood%-2006%-08%-040709", s.ref)
    assert.is_nil((k2.source("nope")))
  end)

  it("gives every conflict at least two facts", function()
    local c = assert(k2.conflict("rat-regression"))
    assert.is_true(#c.facts >= 2)
    assert.matches("sources disagree", tostring(c))
    assert.is_nil((k2.conflict("nope")))
  end)

  it("resolves form names", function()
    assert.equal("K1", k2.form("phylloquinone"))
    assert.equal("MK-4", k2.form("menatetrenone"))
    assert.equal("MK-7", k2.form("MK7"))
    assert.equal("K3", k2.form("Menadione"))
    local f, err = k2.form("MK-9")
    assert.is_nil(f)
    assert.matches("known: K, K1, K2, K3, MK%-4, MK%-7", err)
  end)
end)

describe("k2.parse_dose", function()
  local cases = {
    ["0.18 mg"] = 180, ["180 µg"] = 180, ["180 μg"] = 180, ["180ug"] = 180, ["180 mcg"] = 180,
    ["1 microgram"] = 1, ["2 micrograms"] = 2, ["45 mg"] = 45000, ["0.1 mg"] = 100,
    ["1 milligram"] = 1000, ["0.5\194\160mg"] = 500,
  }
  for text, want in pairs(cases) do
    it("reads " .. text, function() assert.equal(want, k2.parse_dose(text)) end)
  end

  it("gives whole micrograms as integers on Lua 5.4", function()
    local math_type = rawget(math, "type")
    if math_type then assert.equal("integer", math_type(k2.parse_dose("0.18 mg"))) end
  end)

  local bad = {
    ["-5 mg"] = "negative", ["0 mg"] = "greater than zero", ["nan mg"] = "finite",
    ["inf mg"] = "finite", ["0x10 mg"] = "hexadecimal", [""] = "empty", ["5 kg"] = "unknown unit 'kg'",
    ["0,1 mg"] = "write 0.1", ["2 g"] = "accepted: µg, ug, mcg", ["2000 mg"] = "1 g",
    ["5 mg and more"] = "after the unit", ["5 mg\0"] = "NUL", ["\255 mg"] = "UTF%-8",
  }
  for text, part in pairs(bad) do
    it(("rejects %q"):format(text), function()
      local ug, err = k2.parse_dose(text)
      assert.is_nil(ug)
      assert.is_truthy(err:find(part, 1, part:find("%", 1, true) == nil), err)
    end)
  end

  it("rejects a 1 MB string and raises for non-strings", function()
    assert.is_nil((k2.parse_dose(MB)))
    assert.has_error(function() k2.parse_dose(180) end, "bad argument #1 to 'parse_dose' (string expected, got number)")
    assert.has_error(function() k2.parse_dose() end, "bad argument #1 to 'parse_dose' (string expected, got nil)")
  end)
end)

describe("k2.parse_duration", function()
  it("reads minutes, hours, days and weeks into hours", function()
    assert.equal(72, k2.parse_duration("3d"))
    assert.equal(1.5, k2.parse_duration("90 min"))
    assert.equal(1.5, k2.parse_duration("1 h 30 min"))
    assert.equal(336, k2.parse_duration("2 weeks"))
    assert.equal(12, k2.parse_duration("12 hours"))
  end)

  it("rejects what it can't read", function()
    for _, text in ipairs({ "", "3", "0 h", "-2 d", "3 fortnights", "1,5 h", "3 d 2 d", "a\0", MB }) do
      local h, err = k2.parse_duration(text)
      assert.is_nil(h, text)
      assert.is_string(err)
    end
    assert.has_error(function() k2.parse_duration({}) end, "bad argument #1 to 'parse_duration' (string expected, got table)")
  end)
end)

describe("locale independence", function()
  it("reads and prints '.' decimals under a decimal-comma locale", function()
    local old = os.setlocale(nil, "numeric")
    if not os.setlocale("de_DE.UTF-8", "numeric") then
      pending("de_DE.UTF-8 is not installed")
      return
    end
    local ok, err = pcall(function()
      assert.equal(100, k2.parse_dose("0.1 mg"))
      assert.equal("0.25", k2.format_number(0.25, 2))
      assert.matches("0%.01019", tostring(assert(k2.fact("model.mk7.ke.s07b-68h"))))
    end)
    os.setlocale(old, "numeric")
    assert(ok, err)
  end)
end)

describe("k2.core store handle", function()
  local core = require("k2.core")
  it("raises after close, closes twice, and prints its state", function()
    local s = assert(core.open())
    assert.matches("^k2%.store %(", tostring(s))
    s:close()
    s:close()
    assert.equal("k2.store (closed)", tostring(s))
    assert.has_error(function() s:search("x") end, "attempt to use a closed k2 store")
    assert.has_error(function() s:facts() end, "attempt to use a closed k2 store")
  end)

  it("rejects a method call on the wrong object", function()
    local s = assert(core.open())
    assert.has_error(function() s.search({}, "x") end)
    s:close()
  end)

  it("survives many opens and collections", function()
    for _ = 1, 200 do
      local s = assert(core.open())
      assert.is_true(#s:search("warfarin") > 0)
    end
    collectgarbage()
    collectgarbage()
  end)
end)

describe("bad input to every public function", function()
  local TEXT_FUNCTIONS = { "search", "fact", "source", "conflict", "form", "parse_dose", "parse_duration" }
  local BAD_TEXT = { ["empty"] = "", ["1 MB"] = MB, ["NUL"] = "war\0farin", ["invalid UTF-8"] = "\192\128 mg" }

  for _, name in ipairs(TEXT_FUNCTIONS) do
    it(name .. " raises for non-strings, naming argument #1", function()
      assert.has_error(function() k2[name]() end, ("bad argument #1 to '%s' (string expected, got nil)"):format(name))
      for _, v in ipairs(WRONG_TYPES) do
        local ok, err = pcall(k2[name], v)
        assert.is_false(ok)
        assert.matches("bad argument #1 to '" .. name .. "'", err)
      end
    end)

    it(name .. " returns nil and a message for text it can't use", function()
      for label, text in pairs(BAD_TEXT) do
        local value, err = k2[name](text)
        assert.is_nil(value, label)
        assert.is_string(err, label)
        assert.is_true(#err < 400, label)
      end
    end)
  end

  it("filters given empty, huge, NUL or invalid text return nil and a message", function()
    for _, key in ipairs({ "form", "topic", "evidence", "population" }) do
      for label, text in pairs(BAD_TEXT) do
        local list, err = k2.facts({ [key] = text })
        assert.is_nil(list, key .. " " .. label)
        assert.is_string(err)
        list, err = k2.search("dose", { [key] = text })
        assert.is_nil(list, key .. " " .. label)
        assert.is_string(err)
      end
    end
  end)

  it("limit must be a whole number from 1 to 1000", function()
    for _, limit in ipairs({ 0, -1, 1001, 1.5, 1e9 }) do
      assert.error_matches(function() k2.search("warfarin", { limit = limit }) end, "option 'limit' must be", 1, true)
    end
    -- the largest limit is accepted and lifts the default of 10 (202 facts match "k2")
    local all = #assert(k2.search("k2", { limit = 1000 }))
    assert.is_true(all <= 1000 and all > #assert(k2.search("k2")), all)
  end)

  it("format_number raises for non-numbers and bad decimals, and shows nan/inf", function()
    assert.has_error(function() k2.format_number("x") end)
    assert.has_error(function() k2.format_number(1, 12) end)
    assert.equal("nan", k2.format_number(0 / 0))
    assert.equal("inf", k2.format_number(math.huge))
    assert.equal("0.5", k2.format_number(0.5, 3))
  end)

  it("the module prints a hint, not a table address", function()
    assert.matches("^k2 %d+%.%d+%.%d+: vitamin K facts", tostring(k2))
  end)
end)
