-- plot_spec.lua: lua/k2/plot.lua — terminal plots (braille or ASCII) and SVG
-- of series over time, under Lua 5.4 and LuaJIT. Curves' own plots are in
-- pk_spec.lua; here the module is given series directly.

require("k2") -- finds the core (k2.plot formats numbers with it)
local plot = require("k2.plot")

local function lines(text)
  local out = {}
  for l in (text .. "\n"):gmatch("(.-)\n") do out[#out + 1] = l end
  return out
end

local function columns(l)
  local n = 0
  for _ in l:gmatch("[\1-\127\194-\244][\128-\191]*") do n = n + 1 end
  return n
end

local RAMP = {}
for i = 1, 50 do RAMP[i] = i / 50 end

describe("k2.plot.lines", function()
  it("draws rows of the asked width and height, then the axis, labels and legend", function()
    local l = lines(plot.lines({ series = { { name = "ramp", values = RAMP } }, t1 = 48, unit = "u", width = 40, height = 5 }))
    assert.is_true(#l >= 5 + 3)
    for i = 1, 5 do assert.equal(40, columns(l[i]), l[i]) end
    assert.matches("┤", l[1])
    assert.matches("└", l[6])
    assert.matches("time in hours; level u — ramp %(solid%)", table.concat(l, " "):gsub("%s+", " "))
  end)

  it("uses days past three days, and plain ASCII on request", function()
    local text = plot.lines({ series = { { name = "a", values = RAMP }, { name = "b", values = RAMP } }, t1 = 240,
      unit = "µg", width = 50, height = 4, ascii = true })
    assert.matches("days", text)
    assert.is_nil(text:find("[\128-\255]"), "ASCII only")
    assert.matches("a %(%*%), b %(o%)", text:gsub("%s+", " "))
  end)

  it("colours series only when asked", function()
    local series = { { name = "a", values = RAMP } }
    assert.is_nil(plot.lines({ series = series, t1 = 10, width = 30, height = 3 }):find("\27[", 1, true))
    assert.is_truthy(plot.lines({ series = series, t1 = 10, width = 30, height = 3, color = true }):find("\27[", 1, true))
  end)
end)

describe("k2.plot.svg", function()
  it("writes an SVG document with a polyline per series, escaping text", function()
    local svg = plot.svg({ series = { { name = "a<b", values = RAMP } }, t1 = 24, unit = "u", title = "t & t",
      desc = "d" })
    assert.matches("^<svg", svg)
    assert.matches("<polyline", svg)
    assert.matches("a&lt;b", svg)
    assert.matches("t &amp; t", svg)
    assert.matches("<desc>d</desc>", svg)
  end)
end)
