-- pk_spec.lua: k2.pk as a user calls it, under Lua 5.4 and LuaJIT. Numbers
-- are checked against the model's closed forms and the cited figures (data/
-- facts named in data/pk.rec); tolerances are stated per assertion.

local k2 = require("k2")

local function near(a, b, rel, what)
  assert(math.abs(a - b) <= rel * math.abs(b), ("%s: %.12g vs %.12g"):format(what or "value", a, b))
end

local function lines(text)
  local out = {}
  for l in (text .. "\n"):gmatch("(.-)\n") do out[#out + 1] = l end
  return out
end

describe("k2.pk.params", function()
  it("derives ka and ke from the peak time and half-life in data/", function()
    local p = assert(k2.pk.params("MK-7"))
    near(p.ke, math.log(2) / 68, 1e-12, "ke")
    near(p.ka, 1.203, 1e-3, "ka (reference sheet §9)")
    near(p.tmax_h, 4, 1e-9, "tmax")
    assert.equal("default", p.set)
    assert.matches("^relative", p.unit)
    assert.equal(1000, p.ref_ug) -- model.mk7.unit-dose.s07b: Schurgers 2007's 1 mg dose
    assert.equal("relative (1 = peak of 1 mg MK-7 with fat)", p.unit)
    assert.same({ "model.mk7.accumulation.68h", "model.mk7.unit-dose.s07b", "pk.mk7.half-life.m3", "seed.mk7.tmax" },
      p.sources)
    assert.matches("pk%.mk7%.half%-life%.m3", tostring(p))
    assert.same({ "mk7-accumulation", "mk7-half-life", "mk7-tmax" }, p.conflicts)
    assert.matches("sources disagree: mk7%-accumulation, mk7%-half%-life, mk7%-tmax", tostring(p))
    assert.equal("supplement", p.matrix)
  end)

  it("knows the sets where studies disagree, and says why one is missing", function()
    near(assert(k2.pk.params("MK-7", "sato2012")).tmax_h, 6, 1e-9, "Sato 2012 peak")
    local label = assert(k2.pk.params("menatetrenone", "label"))
    assert.equal("ng/mL", label.unit)
    near(label.lag, 2.2, 1e-12, "lag")
    local p, err = k2.pk.params("MK-4", "sato2012")
    assert.is_nil(p)
    assert.matches("could not be detected", err)
    p, err = k2.pk.params("MK-7", "x")
    assert.is_nil(p)
    assert.matches("known: default, 72h, sato2012", err)
    p, err = k2.pk.params("K2")
    assert.is_nil(p)
    assert.matches("models exist for K1, MK%-4, MK%-7", err)
  end)

  it("raises for non-string arguments", function()
    assert.has_error(function() k2.pk.params() end, "bad argument #1 to 'params' (string expected, got nil)")
    assert.has_error(function() k2.pk.params("MK-7", 2) end, "bad argument #2 to 'params' (string expected, got number)")
  end)
end)

describe("k2.pk.simulate", function()
  it("gives the design's curve for 180 µg MK-7 daily for 30 days", function()
    local c = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", every = "24h", days = 30 }))
    assert.equal(30, c.doses)
    near(c:t_end(), 720, 1e-12, "run")
    local cmax, tmax = c:cmax(), c:tmax()
    assert.is_true(tmax > 696 and tmax < 720, "last peak in the last interval")
    local ss = assert(k2.pk.steady_state({ form = "MK-7", dose = "180 ug", every = "24h" }))
    assert.is_true(cmax < ss.peak and cmax > 0.9 * ss.peak, "30 days is past 90 % of steady state")
    near(c:at(72), c:at("3d"), 1e-15, "at accepts text")
    assert.is_true(c:trough() > 0 and c:trough() < cmax)
    assert.is_true(c:auc() > 0)
    near(c:auc(0, 360) + c:auc(360, 720), c:auc(), 1e-12, "AUC adds up")
  end)

  it("reproduces the seed: MK-4 peaks at 2 h and is gone in a day, MK-7 peaks at 4 h and stays", function()
    local mk4 = assert(k2.pk.simulate({ form = "MK-4", dose = "180 ug", set = "seed" }))
    local mk7 = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug" }))
    near(mk4:tmax(), 2, 1e-6, "MK-4 peak")
    near(mk7:tmax(), 4, 1e-6, "MK-7 peak")
    -- the unit is one 1 mg dose's peak (model.mk7.unit-dose.s07b), so 180 µg peaks at 0.18
    near(mk7:cmax(), 0.18, 1e-9, "relative peak of 180 µg against the 1 mg unit")
    -- with the seed set's 5 h half-life about 5 % of the peak is left at 24 h (22 h past it: 2^(-22/5))
    assert.is_true(mk4:at(24) < 0.1 * mk4:cmax())
    assert.is_true(mk4:at(24) > 0.01 * mk4:cmax())
    assert.is_true(mk7:at(72) > 0.4 * mk7:cmax())
  end)

  it("draws MK-4 by default from one derivation: the label's ka, ke and lag (peak 3.7 h)", function()
    local mk4 = assert(k2.pk.simulate({ form = "MK-4", dose = "30 mg" }))
    near(mk4:tmax(), 3.7, 0.01, "default MK-4 peak, the label's")
    near(mk4:cmax(), 1, 1e-6, "one 30 mg dose is the relative unit")
    local p = assert(k2.pk.params("MK-4"))
    near(p.half_life_h, 1.68, 0.01, "the half-life fitted with the lag")
    assert.equal(2.2, p.lag)
  end)

  it("reproduces the menatetrenone label in ng/mL", function()
    local c = assert(k2.pk.simulate({ form = "MK-4", set = "label", dose = "30 mg", duration = "3d", step = "1min" }))
    assert.equal("ng/mL", c.unit)
    near(c:cmax(), 325, 0.01, "label Cmax 325 ng/mL")
    near(c:tmax(), 3.7, 0.01, "label tmax 3.7 h")
    near(c:auc(0, 72), 1463, 0.01, "label AUC 1463 ng·h/mL")
  end)

  it("converts ng/mL to nmol/L through the molecular weight, and refuses units a set can't give", function()
    local ng = assert(k2.pk.simulate({ form = "MK-4", set = "label", dose = "30 mg" }))
    local nmol = assert(k2.pk.simulate({ form = "MK-4", set = "label", dose = "30 mg", unit = "nmol/L" }))
    near(nmol:cmax() / ng:cmax(), 2.249, 1e-3, "reference sheet: 1 ng/mL = 2.249 nmol/L for MK-4")
    assert.equal("nmol/L", nmol.unit)
    assert.matches("nmol/L", tostring(nmol))
    local c, err = k2.pk.simulate({ form = "MK-7", dose = "180 ug", unit = "ng/mL" })
    assert.is_nil(c)
    assert.matches("relative", err)
  end)

  it("is linear in dose and takes doses as text or µg", function()
    local a = assert(k2.pk.simulate({ form = "MK-4", set = "label", dose = "1 mg" }))
    local b = assert(k2.pk.simulate({ form = "MK-4", set = "label", dose = 2000 }))
    near(b:cmax(), 2 * a:cmax(), 1e-12, "linearity")
  end)

  it("applies the fat factor from its source, and says so", function()
    local with = assert(k2.pk.simulate({ form = "MK-4", dose = "15 mg" }))
    local without = assert(k2.pk.simulate({ form = "MK-4", dose = "15 mg", fat = false }))
    near(with:auc() / without:auc(), 2.8, 1e-9, "MK-4 fat effect (Uematsu 1996)")
    -- the butter factor was measured on spinach (vegetable): not applied to K1 supplements (issue 11 point 7)
    local k1 = assert(k2.pk.simulate({ form = "K1", dose = "1 mg", fat = false }))
    near(k1:cmax(), 1, 1e-9, "K1 supplement: the vegetable factor is not applied")
    assert.matches("no sourced fat factor for this matrix", table.concat(k1.notes, " "))
    assert.matches("no sourced fat factor for this matrix", tostring(k2.pk.params("K1")):gsub("%s+", " "))
    assert.is_false(k2.pk.params("K1").fat_applies)
    assert.is_true(k2.pk.params("MK-4").fat_applies)
    local mk7 = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", fat = false }))
    near(mk7:cmax(), 0.18, 1e-9, "MK-7: no source, not adjusted")
    assert.matches("no source gives the effect of fat on MK%-7", tostring(mk7))
  end)

  it("prints a plot with axes, units and metrics, and the notice", function()
    local c = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", every = "24h", days = 30 }))
    local text = tostring(c)
    assert.matches("relative %(1 = peak of 1 mg MK%-7 with fat%)", text:gsub("%s+", " "))
    assert.matches("Cmax [%d.]+ at [%d.]+ h", text)
    assert.matches("┤", text)
    assert.matches("days", text)
    assert.matches("not medical advice", text)
    assert.matches("warfarin", text)
    -- the notice is the curve's own, and what its text ends with
    assert.equal(k2.notice(), c.notice)
    local flat_text, flat_notice = text:gsub("%s+", " "), c.notice:gsub("%s+", " ")
    assert.equal(flat_notice, flat_text:sub(-#flat_notice))
    assert.is_nil(text:find("table: 0x", 1, true))
  end)

  it("fits plots to the asked width and height, in braille or ASCII", function()
    local c = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug" }))
    for _, o in ipairs({ { width = 40, height = 6 }, { width = 72, height = 16, ascii = true } }) do
      local l = lines(c:plot(o))
      assert.is_true(#l >= o.height + 3 and #l <= o.height + 5, "rows: plot + axis + labels + legend")
      for i, row in ipairs(l) do
        local chars = 0
        for _ in row:gmatch("[\1-\127\194-\244][\128-\191]*") do chars = chars + 1 end
        if i <= o.height then assert.equal(o.width, chars, "plot columns") else assert.is_true(chars <= o.width) end
      end
      local row = l[2]
      if o.ascii then assert.is_nil(row:find("[\128-\255]", 10)) end
    end
  end)

  it("labels the end of the run on the time axis at any width, without touching labels", function()
    local daily = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", every = "24h", days = 30 }))
    local single = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", duration = "340h" })) -- ends between ticks
    for _, c in ipairs({ daily, single }) do
      for _, width in ipairs({ 30, 40, 52, 72, 100 }) do
        local labels = lines(c:plot({ width = width, height = 6 }))[8]
        local last = tonumber(labels:match("(%S+)$"))
        -- the last label is the end of the run, in days (to the label's 3 significant digits)
        assert.is_true(last and math.abs(last - c:t_end() / 24) <= 0.005 * c:t_end() / 24, "width " .. width .. ": " .. labels)
        assert.matches("^%s+0 ", labels)
        -- labels are numbers apart: never two run together (as "2030" or "1014.17")
        for word in labels:gmatch("%S+") do assert.matches("^%d+%.?%d*$", word, nil, labels) end
        assert.is_nil(labels:find("%d%d%d%d"), labels)
      end
    end
    -- where the end would touch the last tick's label, it is left out rather than run into it
    -- ("40" then "44" would read "4044"): over a sweep, the labels rise and none is past the end
    for h = 30, 800, 23 do
      local c = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", duration = h }))
      local per = c:t_end() > 72 and 24 or 1
      for width = 30, 100, 7 do
        local labels, prev = lines(c:plot({ width = width, height = 4 }))[6], -1
        for word in labels:gmatch("%S+") do
          local v = tonumber(word)
          assert.is_true(v and v > prev and v <= c:t_end() / per * 1.01, ("%d h at width %d: %s"):format(h, width, labels))
          prev = v
        end
      end
    end
  end)

  it("keeps intervals a plain list, and the SVG carries the notice", function()
    local c = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", every = "24h", days = 3 }))
    local iv = c:intervals()
    local keys = 0
    for _ in pairs(iv) do keys = keys + 1 end
    assert.equal(#iv, keys)
    assert.matches("<desc>Information, not medical advice", c:svg())
  end)

  it("exports CSV, SVG and iterates points without tables", function()
    local c = assert(k2.pk.simulate({ form = "MK-4", dose = "180 ug", duration = "12h", step = "1h" }))
    local csv = lines(c:csv())
    assert.equal("time_h,relative", csv[1])
    assert.equal(13 + 2, #csv) -- header, 13 samples, final empty line
    assert.equal("1,", csv[3]:sub(1, 2))
    local n = 0
    for t, v in c:points() do n = n + 1; assert.is_true(t >= 0 and v >= 0) end
    assert.equal(13, n)
    local svg = c:svg()
    assert.matches("^<svg", svg)
    assert.matches("<polyline", svg)
  end)

  it("compares forms on one plot", function()
    local cmp = assert(k2.pk.compare({ { form = "MK-4", dose = "180 ug" }, { form = "MK-7", dose = "180 ug" } }))
    local text = tostring(cmp):gsub("\n%s+", " ")
    assert.matches("MK%-4 180 µg %(solid%)", text)
    assert.matches("MK%-7 180 µg %(dotted%)", text)
  end)

  it("reports the caller's parameters as the curve uses them", function()
    local c = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", ka = 0.5, ke = 0.1, V = 10 }))
    assert.is_true(math.abs(c.params.half_life_h - math.log(2) / 0.1) < 1e-12)
    -- the reported peak time is the curve's own (exact peak of one dose)
    assert.is_true(math.abs(c.params.tmax_h - c:tmax()) < 1e-6, c.params.tmax_h .. " vs " .. c:tmax())
    assert.matches("^ng/mL", c.unit)
    assert.is_true(math.abs(c:cmax() - c.ud:at(c:tmax())) < 1e-9)
    assert.same({}, c.params.sources)
    assert.same({ "ka set to 0.5 by the caller", "ke set to 0.1 by the caller", "V set to 10 by the caller" },
      { c.notes[1], c.notes[2], c.notes[3] })
    local text = c:metrics_text()
    assert.matches("half%-life 6%.931 h", text)
    assert.is_nil(text:find("half-life 68 h", 1, true))
  end)

  it("runs compared curves over the same hours unless their length was given", function()
    local cmp = assert(k2.pk.compare({ { form = "MK-4", dose = "180 ug" }, { form = "MK-7", dose = "180 ug" } }))
    local mk4, mk7 = cmp.curves[1], cmp.curves[2]
    assert.are.equal(mk7:t_end(), mk4:t_end())
    local alone = assert(k2.pk.simulate({ form = "MK-4", dose = "180 ug", duration = mk7:t_end() }))
    assert.is_true(math.abs(mk4:auc() - alone:auc()) <= 1e-12 * alone:auc())
    local short = assert(k2.pk.simulate({ form = "MK-4", dose = "180 ug" }))
    assert.is_true(short:t_end() < mk7:t_end())
    local fixed = assert(k2.pk.compare({ { form = "MK-4", dose = "180 ug", duration = "1d" },
      { form = "MK-7", dose = "180 ug" } }))
    assert.are.equal(24, fixed.curves[1]:t_end())
  end)

  it("prints the module, and a curve's intervals as a table", function()
    assert.matches("^k2%.pk: ", tostring(k2.pk))
    local c = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", every = "24h", days = 3 }))
    local iv = c:intervals()
    local rows = {}
    for l in tostring(iv):gmatch("[^\n]+") do rows[#rows + 1] = l end
    assert.are.equal(#iv + 1, #rows)
    assert.matches("^start h%s+Cmax", rows[1])
    assert.matches("^24%s+" .. k2.format_number(iv[2].cmax, 3):gsub("%.", "%%."), rows[3])
  end)

  it("returns nil and a message for text it can't use, raises for wrong types", function()
    for _, o in ipairs({
      { form = "MK-7", dose = "lots" }, { form = "MK-7", dose = "-5 mg" }, { form = "MK-9", dose = "1 mg" },
      { form = "MK-7", dose = "1 mg", every = "0h", days = 3 }, { form = "MK-7", dose = "1 mg", every = "soon", days = 3 },
      { form = "MK-7", dose = "1 mg", duration = "1h", at = { 0, "5h" } }, { form = "MK-7", dose = 0 },
      { form = "MK-7", dose = "1 mg", step = "1 s" }, { form = "MK-7", dose = "1 mg", duration = "3650d", step = 0.001 },
      { form = "MK-7", dose = "1 mg", every = "48h", days = 1 },
    }) do
      local c, err = k2.pk.simulate(o)
      assert.is_nil(c)
      assert.is_string(err)
    end
    assert.has_error(function() k2.pk.simulate() end, "bad argument #1 to 'simulate' (table expected, got nil)")
    assert.error_matches(function() k2.pk.simulate({ form = "MK-7", dose = "1 mg", evry = "24h" }) end,
      "(unknown option 'evry'; known: ", 1, true)
    assert.error_matches(function() k2.pk.simulate({ form = "MK-7", dose = {} }) end,
      "option 'dose' must be text like '180 ug' or a number of µg, got table", 1, true)
    assert.error_matches(function() k2.pk.simulate({ form = "MK-7", dose = "1 mg", every = "24h" }) end,
      "with 'every' or 'per_day', give 'days' or 'doses'", 1, true)
    assert.error_matches(function() k2.pk.simulate({ form = "MK-7", dose = "1 mg", fat = "no" }) end,
      "option 'fat' must be true or false, got string", 1, true)
    assert.error_matches(function() k2.pk.simulate({ dose = "1 mg" }) end, "option 'form' is required", 1, true)
  end)
end)

describe("k2.pk.steady_state and population", function()
  it("gives the reference sheet's accumulation and time to 90 %", function()
    local ss = assert(k2.pk.steady_state({ form = "MK-7", dose = "180 ug", every = "24h" }))
    near(ss.accumulation, 4.61, 2e-3, "accumulation, 68 h")
    assert.is_true(ss.t90_h >= 226 and ss.t90_h < 230, "t90 near ln 10 / ke = 226 h")
    local ss72 = assert(k2.pk.steady_state({ form = "MK-7", set = "72h", dose = "180 ug", every = "24h" }))
    near(ss72.accumulation, 4.85, 2e-3, "accumulation, 72 h")
    assert.matches("90%% after", tostring(ss))
  end)

  it("draws the same population for the same seed", function()
    local o = { form = "MK-7", dose = "180 ug", every = "24h", days = 10, n = 300, cv = { ka = 0.3, ke = 0.3 }, seed = 5 }
    local a, b = assert(k2.pk.population(o)), assert(k2.pk.population(o))
    for i = 1, 240, 17 do
      local a5, a50, a95 = a:band(i)
      local b5, b50, b95 = b:band(i)
      assert.equal(a5, b5); assert.equal(a50, b50); assert.equal(a95, b95)
      assert.is_true(a5 <= a50 and a50 <= a95)
    end
    assert.matches("300 virtual subjects", tostring(a))
    assert.error_matches(function() k2.pk.population({ form = "MK-7", dose = "180 ug" }) end,
      "option 'cv' is required", 1, true)
  end)
end)
