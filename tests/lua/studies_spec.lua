-- studies_spec.lua: issue 12 — the published blood levels (data/studies/
-- observations.rec) through k2.pk.studies, every parameter set held against
-- them by k2.pk.validate, study points drawn over a curve, and plots whose
-- text stays inside the canvas and off the data. Tolerances: 1 % for the
-- sets fitted to a study (their derivation in data/pk.rec), exact for peak
-- times inside a measured range.

local k2 = require("k2")
local measures = require("k2.measures")
local plot = require("k2.plot")

-- The observation ids in the data file itself, to hold the store's list against.
local function ids_in_data()
  local ids = {}
  for line in io.lines("data/studies/observations.rec") do
    local id = line:match("^Observation: (%S+)")
    if id then ids[#ids + 1] = id end
  end
  return ids
end

describe("k2.pk.studies", function()
  it("lists every observation of data/, each with its dose, source and how it was read", function()
    local all, want = assert(k2.pk.studies()), ids_in_data()
    assert.equal(#want, #all)
    for i, s in ipairs(all) do
      assert.equal(want[i], s.id)
      assert.is_string(s.source)
      assert.is_string(s.read)
      assert.is_table(s.measures)
    end
    local mk4 = assert(k2.pk.studies({ form = "menatetrenone" }))
    assert.is_true(#mk4 >= 3)
    for _, s in ipairs(mk4) do assert.equal("MK-4", s.form) end
    assert.matches("L6", tostring(mk4))
    assert.equal("studies", mk4:to_table().kind)
  end)

  it("refuses an unknown form with nil, message naming the known ones", function()
    local list, err = k2.pk.studies({ form = "MK-9" })
    assert.is_nil(list)
    assert.matches("unknown form 'MK%-9'", err)
  end)
end)

describe("k2.pk.validate", function()
  local v = assert(k2.pk.validate())
  local function row(study, set, measure)
    for _, r in ipairs(v.rows) do
      if r.study == study and r.set == set and r.measure == measure then return r end
    end
    error(("no row for %s / %s / %s"):format(study, set, measure))
  end

  it("has a row for every study that measured something, every set of its form and every measure", function()
    for _, s in ipairs(k2.pk.studies()) do
      if #s.measures > 0 then
        for _, set in ipairs(k2.pk.sets(s.form)) do
          local p = k2.pk.params(s.form, set)
          for _, m in ipairs(s.measures) do
            local r = p and row(s.id, set, m.what) or row(s.id, set, "set")
            assert.truthy(r.fold or r.why, s.id .. " " .. set .. ": neither an error nor a reason")
          end
        end
      end
    end
  end)

  it("matches the label within 1 % with the set fitted to it (menatetrenone syrup, 30 mg: L6)", function()
    for _, m in ipairs({ "tmax", "cmax", "auc" }) do
      local r = row("mk4.label.l6-30mg", "label", m)
      assert.is_true(r.fold <= 1.01, m .. " fold " .. tostring(r.fold))
    end
    assert.is_true(row("k1.tablet.ga99-500ug", "garber1999", "auc").fold <= 1.01)
  end)

  it("states the errors of sets not fitted to the study, and why a level could not be compared", function()
    -- the seed's 2 h peak against the label's 3.7 h: 3.7 / 2
    assert.is_true(math.abs(row("mk4.label.l6-30mg", "seed", "tmax").fold - 3.7 / 2) < 1e-6)
    assert.is_true(row("mk4.label.l6-30mg", "default", "tmax").fold <= 1.01)
    -- a relative set has no level to compare, and says so
    local rel = row("mk4.label.l6-30mg", "seed", "cmax")
    assert.is_nil(rel.fold)
    assert.matches("relative units", rel.why)
    -- a peak inside a measured range (6-10 h) is an exact match
    assert.equal(1, row("k1.kale.no10-156nmol", "novotny2010", "tmax").fold)
    -- nothing detected: the model's peak is shown, with the reason it cannot be scored
    local none = row("mk4.single.sa12-420ug", "label", "not detected")
    assert.is_true(none.model > 0)
    assert.is_nil(none.fold)
    assert.matches("quantification limit", none.why)
  end)

  it("prints as a table within 80 columns and as rows in JSON", function()
    for _, line in ipairs(v:lines(80)) do
      local _, chars = line:gsub("[^\128-\191]", "")
      assert.is_true(chars <= 80, line)
    end
    local t = v:to_table()
    assert.equal("validation", t.kind)
    assert.equal(#v.rows, #t.rows)
  end)
end)

describe("README", function()
  it("holds today's validation table, as `bin/k2 validate --width 100` prints it", function()
    local f = assert(io.open("README.md", "rb"))
    local readme = f:read("a")
    f:close()
    for _, line in ipairs(assert(k2.pk.validate()):lines(100)) do
      assert.truthy(readme:find(line, 1, true), "README lacks: " .. line)
    end
  end)
end)

describe("k2.measures", function()
  it("reads peak times, levels, areas and ranges; refuses what it cannot read", function()
    local m = assert(measures.parse("tmax 6-10 h; cmax 2.1 nmol/L; auc 0-inf 1463 ng·h/mL (label)"))
    assert.same({ 6, 10, "h" }, { m[1].low, m[1].high, m[1].unit })
    assert.equal("nmol/L", m[2].level_unit)
    assert.equal(math.huge, m[3].to_h)
    assert.equal("label", m[3].note)
    assert.same({}, assert(measures.parse(nil)))
    for _, bad in ipairs({ "peak 4 h", "cmax 2 mg", "auc 1463 ng·h/mL", "tmax 10-6 h", "tmax h" }) do
      local list, err = measures.parse(bad)
      assert.is_nil(list, bad)
      assert.is_string(err)
    end
    assert.equal(1, measures.fold(8, { low = 6, high = 10 }))
    assert.equal(2, measures.fold(20, { low = 6, high = 10 }))
    assert.equal(2, measures.fold(3, { low = 6, high = 10 }))
  end)
end)

-- The text boxes of an SVG, as the layout estimates them (plot.SVG_CHAR_PX a
-- character, the font's size high), and its data area (the two axis lines).
local function svg_layout(svg)
  local W, H = svg:match('<svg[^>]* width="(%d+)" height="(%d+)"')
  local boxes, xs, ys = {}, {}, {}
  for x1, y1, x2, y2 in svg:gmatch('<line x1="([%d.]+)" y1="([%d.]+)" x2="([%d.]+)" y2="([%d.]+)" stroke="black"/>') do
    xs[#xs + 1], ys[#ys + 1] = { tonumber(x1), tonumber(x2) }, { tonumber(y1), tonumber(y2) }
  end
  for attrs, text in svg:gmatch("<text ([^>]*)>([^<]*)</text>") do
    local x, y = tonumber(attrs:match('x="([%d.%-]+)"')), tonumber(attrs:match('y="([%d.%-]+)"'))
    local _, chars = text:gsub("&%a+;", "&"):gsub("[^\128-\191]", "")
    local w, h = chars * plot.SVG_CHAR_PX, plot.SVG_FONT_PX
    local anchor = attrs:match('text%-anchor="(%a+)"') or "start"
    local left = anchor == "end" and x - w or anchor == "middle" and x - w / 2 or x
    local top = attrs:find("dominant%-baseline", 1, true) and y - h / 2 or y - h
    local box = { x0 = left, x1 = left + w, y0 = top, y1 = top + h, text = text }
    if attrs:find("rotate(-90", 1, true) then -- turned about (x, y): the box stands upright
      box = { x0 = x - h, x1 = x, y0 = y - w / 2, y1 = y + w / 2, text = text }
    end
    boxes[#boxes + 1] = box
  end
  -- the data area: the x axis is the longest horizontal black line, the y axis the longest vertical one
  local area = { x0 = math.huge, x1 = -math.huge, y0 = math.huge, y1 = -math.huge }
  for i = 1, #xs do
    if ys[i][1] == ys[i][2] and xs[i][2] - xs[i][1] > 100 then area.x0, area.x1, area.y1 = xs[i][1], xs[i][2], ys[i][1] end
    if xs[i][1] == xs[i][2] and ys[i][2] - ys[i][1] > 100 then area.y0 = ys[i][1] end
  end
  return tonumber(W), tonumber(H), boxes, area
end

describe("plots people can read and print", function()
  local cases = {
    { "MK-4 30 mg, label set, with its study", { form = "MK-4", dose = "30 mg", set = "label" }, { studies = true } },
    { "MK-7 daily for 30 days, a long unit", { form = "MK-7", dose = "180 ug", every = "24h", days = 30 }, {} },
    { "a narrow canvas", { form = "K1", dose = "70 ug", set = "garber1999", unit = "nmol/L" },
      { studies = true, width = 320, height = 240 } },
  }
  for _, c in ipairs(cases) do
    it("SVG: every text inside the canvas and off the data area — " .. c[1], function()
      local curve = assert(k2.pk.simulate(c[2]))
      local W, H, boxes, area = svg_layout(curve:svg(c[3]))
      assert.is_true(area.x1 > area.x0 and area.y1 > area.y0, "no data area found")
      assert.is_true(#boxes >= 8)
      for _, b in ipairs(boxes) do
        assert.is_true(b.x0 >= 0 and b.x1 <= W and b.y0 >= 0 and b.y1 <= H, "outside the canvas: " .. b.text)
        local inside = b.x1 > area.x0 and b.x0 < area.x1 and b.y1 > area.y0 and b.y0 < area.y1
        assert.is_false(inside, "on the data area: " .. b.text)
      end
    end)
  end

  it("SVG: round y ticks, several of them, and the study's point as a circle named in the legend", function()
    local svg = assert(k2.pk.simulate({ form = "MK-4", dose = "30 mg", set = "label" })):svg({ studies = true })
    local ticks = {}
    for n in svg:gmatch('text%-anchor="end" dominant%-baseline="middle">([%d.]+)<') do ticks[#ticks + 1] = tonumber(n) end
    assert.same({ 0, 100, 200, 300, 400 }, ticks)
    assert.matches('<circle cx="[%d.]+" cy="[%d.]+" r="4"', svg)
    assert.matches("L6, 30 mg menatetrenone syrup", svg)
  end)

  it("text plot: round y labels, the study point marked and named, no line past the width", function()
    local c = assert(k2.pk.simulate({ form = "MK-4", dose = "30 mg", set = "label" }))
    local text = c:plot({ width = 60, height = 10, studies = true })
    for line in text:gmatch("[^\n]+") do
      local _, chars = line:gsub("[^\128-\191]", "")
      assert.is_true(chars <= 60, line)
      local label = line:match("^%s*([%d.]+) ┤")
      if label then assert.equal(0, tonumber(label) % 100, line) end
    end
    assert.matches("●", text)
    assert.matches("● L6, 30 mg", text)
    local other = assert(k2.pk.simulate({ form = "MK-7", dose = "90 ug" })):plot({ studies = true })
    assert.matches("no published peak of MK%-7 after one 90 µg dose", (other:gsub("%s+", " ")))
  end)

  it("reaches the curve's text through lines{studies = true}", function()
    local c = assert(k2.pk.simulate({ form = "MK-4", dose = "30 mg", set = "label" }))
    assert.matches("● L6", table.concat(c:lines(78, { studies = true }), "\n"))
    assert.is_nil(table.concat(c:lines(78), "\n"):find("●", 1, true))
  end)
end)
