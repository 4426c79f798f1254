-- show_spec.lua: lua/k2/show.lua — wrapping at a width, numbers, amounts,
-- citations and plain copies — and the text of facts and lists it lays out,
-- under Lua 5.4 and LuaJIT. The printer takes everything from the result:
-- it never asks the store.

local k2 = require("k2")
local show = require("k2.show")

describe("k2.show text helpers", function()
  it("wraps between words, the wrapped part indented", function()
    local out = show.wrap_into({}, "one two three four five six", 10, "  ", "- ")
    assert.same({ "- one two", "  three", "  four", "  five six" }, out)
    for _, l in ipairs(out) do assert.is_true(#l <= 10) end
    assert.equal("- one two\n  three\n  four\n  five six", show.wrap("one two three four five six", 10, "  ", "- "))
  end)

  it("keeps a word longer than the width whole, on its own line", function()
    assert.same({ "a", "  abcdefghijklmnop", "  b" }, show.wrap_into({}, "a abcdefghijklmnop b", 8, "  ", ""))
  end)

  it("wraps a label too long for the width as words", function()
    local out = show.wrap_into({}, "x", 10, "    ", "  a long label: ")
    assert.same({ "  a long", "    label:", "    x" }, out)
  end)

  it("wraps each line of a text, two spaces further in than the line", function()
    assert.same({ "ab cd", "  ef", "  x y", "    z" }, show.text_into({}, "ab cd ef\n  x y z", 5))
    assert.equal("ab cd\n  ef", show.wrap_lines("ab cd ef", 5))
    assert.same({ "a", "b", "" }, show.split("a\nb\n"))
  end)

  it("formats numbers, amounts and citations", function()
    assert.equal("0.1019", show.number(0.10191))
    assert.equal("1235", show.number(1234.5))
    assert.equal("4 h", show.amount({ value = 4, unit = "h" }))
    assert.equal("75–120 µg/day", show.amount({ low = 75, high = 120, unit = "µg/day" }))
    assert.equal("up to 2 y", show.amount({ high = 2, unit = "y" }))
    assert.equal("at least 19 y", show.amount({ low = 19, unit = "y" }))
    assert.equal("5%", show.amount({ value = 5, unit = "%" }))
    assert.is_nil(show.amount({}))
    assert.equal("Schurgers L.J. 2007", show.cite({ authors = "Schurgers L.J., Teunissen K.J.", year = "2007", title = "x" }))
  end)

  it("copies a result plainly: no metatables, functions, userdata or NaN", function()
    local x = setmetatable({ a = 1, b = { 2, 3 }, f = print, nan = 0 / 0, [true] = 1 }, { __index = { hidden = 1 } })
    assert.same({ a = 1, b = { 2, 3 } }, show.plain(x))
    assert.is_nil(getmetatable(show.plain(x)))
  end)
end)

describe("the text of facts and lists", function()
  it("prints a fact's disagreements and notice from what the fact carries", function()
    local f = assert(k2.fact("seed.k2.children-under-12"))
    local text = table.concat(show.fact(f, 78), "\n")
    assert.matches("sources disagree %[k2%-children%]", text)
    assert.matches("not medical advice", text)
    -- a table shaped like a fact, carrying no disagreements and no notice, prints without them
    local bare = {}
    for k, v in pairs(f) do bare[k] = v end
    local plain_text = table.concat(show.fact(bare, 78), "\n")
    assert.is_nil(plain_text:find("sources disagree", 1, true))
    assert.is_nil(plain_text:find("not medical advice", 1, true))
  end)

  it("numbers a list of facts and says what to try when it is empty", function()
    local lines = show.fact_list(assert(k2.search("calcification", { limit = 2 })), 60)
    assert.matches("^ 1%. ", lines[1])
    for _, l in ipairs(lines) do assert.is_true(#l <= 60 or not l:match("%S+%s+%S"), l) end
    assert.matches("try fewer", show.fact_list({}, 78)[1])
  end)

  it("numbers the items of a list inside a result at the width left", function()
    local lines = show.items({ "a note", "another note that is long enough to wrap at this width" }, 24)
    assert.equal(" 1. a note", lines[1])
    assert.matches("^ 2%. another note", lines[2])
    assert.matches("^    ", lines[3])
    for _, l in ipairs(lines) do assert.is_true(#l <= 24, l) end
    assert.same({ "(none)" }, show.items({}, 78))
  end)
end)
