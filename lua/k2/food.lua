--- k2.food: vitamin K in foods (issue 14) — k2.foods, k2.food, k2.intake and the amount
--- reader behind them. The USDA SR24 table (phylloquinone, µg per 100 g, with household
--- measures in grams) and the literature facts linked to its foods live in the core's food
--- image (csrc/k2_food.c), opened on the first call here, never at `require "k2"`.
---
--- Units: µg of vitamin K, grams of food; an amount is g, kg, mg, oz, lb (data/food/weights.tsv),
--- mL, cL, dL, L (data/food/volumes.tsv: grams from the food's own cup, tbsp, tsp or fl oz) or
--- one of the food's own measures ("1 cup", "2 slices", "1 leaf"). The adequate intakes
--- beside a total are the agencies' rows of data/facts/intake.rec for the person's age and sex.
--- Every figure names its source: USDA-SR24 for K1, the linked fact for a menaquinone.
--- Requires nothing above it; init.lua passes the core and the public calls it needs.

local shapes = require("k2.shapes")

local M = {}

-- How many of the best-ranked foods an amount looks through for the measure it names.
local CANDIDATES = 10

local function show() return require("k2.show") end
local function num(x) return show().number(x) end

-- USDA counts K1 only; literature facts add menaquinones (MK-n). A "K" fact is a total over
-- all forms, shown beside the sum and never added to it; a K1 fact is another K1 figure.
local function is_menaquinone(form) return form:match("^MK%-%d+$") ~= nil end

---------------------------------------------------------------- shapes

-- A CSV cell: text with a comma, quote or line break is quoted (RFC 4180).
local function cell(v)
  if type(v) ~= "string" or not v:find('[,"\n]') then return v end
  return '"' .. v:gsub('"', '""') .. '"'
end

local function wrap(out, text, width, first) return show().wrap_into(out, text, width, "    ", first or "  ") end

shapes.food_list = shapes.define("food_list", {
  methods = { csv_table = function(l)
    local rows = {}
    for i, f in ipairs(l) do rows[i] = { f.id, cell(f.name), f.k1_per_100g or "", f.literature and "yes" or "" } end
    return { columns = { "id", "name", "k1_ug_per_100g", "literature" }, rows = rows }
  end },
  lines = function(l, width)
    local out = {}
    if #l == 0 then return { ("no food matches '%s'"):format(l.query or "") } end
    out[1] = (l[1].partial and "no food holds every word of '%s'; foods holding some (USDA SR24; K1 per 100 g):"
      or "foods matching '%s' (USDA SR24; K1 per 100 g):"):format(l.query or "")
    for i, f in ipairs(l) do
      local k1 = f.k1_per_100g and (num(f.k1_per_100g) .. " µg") or "not measured"
      -- USDA counts K1 only: a food the literature gives other forms for says where they are
      wrap(out, ("%s %s — K1 %s%s%s"):format(f.id, f.name, k1, f.deprecated and " (deprecated)" or "",
        f.literature and ("; other forms from the literature: food %s"):format(f.id) or ""), width, ("%2d. "):format(i))
    end
    return out
  end,
  to_table = function(l)
    local t = {}
    for i, f in ipairs(l) do
      t[i] = { id = f.id, name = f.name, k1_per_100g = f.k1_per_100g, deprecated = f.deprecated or nil,
        partial = f.partial or nil, literature = f.literature or nil }
    end
    return t
  end,
})

-- How a food's figures that are not per form are named: a total over all forms (K), and
-- menaquinones as a source reports them (K2: a sum over forms, or a form k2 has no name for,
-- such as MK-9(4H): the fact says which), which an intake shows beside its totals and never adds.
local OTHER_LABEL = { K = "all forms (reported total)", K2 = "K2 (menaquinones; which forms: see the fact)" }

shapes.food = shapes.define("food", {
  methods = { csv_table = function(f)
    local name = cell(f.name)
    local rows = { { f.id, name, "K1", f.k1_per_100g or "", "", f.source.id } }
    for _, m in ipairs(f.menaquinones) do rows[#rows + 1] = { f.id, name, m.form, m.per_100g, m.fact, m.source.id } end
    for _, m in ipairs(f.other) do rows[#rows + 1] = { f.id, name, m.form, m.per_100g or "", m.fact, m.source.id } end
    return { columns = { "id", "name", "form", "ug_per_100g", "fact", "source" }, rows = rows }
  end },
  lines = function(f, width)
    local out = { ("%s %s%s"):format(f.id, f.name, f.deprecated and " (deprecated by the package)" or "") }
    wrap(out, ("K1 (phylloquinone): %s [agency reference; %s]"):format(
      f.k1_per_100g and (num(f.k1_per_100g) .. " µg/100 g") or "not measured", f.source.id), width)
    for _, m in ipairs(f.menaquinones) do
      wrap(out, ("%s: %s µg/100 g [%s; %s, %s]"):format(m.form, num(m.per_100g), m.evidence, m.fact, m.source.id),
        width)
    end
    local sums = false
    for _, o in ipairs(f.other) do
      local label = OTHER_LABEL[o.form] or (o.form .. " (other figure)")
      local amount = o.per_100g and (num(o.per_100g) .. " µg/100 g")
        or o.low and o.high and ("%s–%s µg/100 g"):format(num(o.low), num(o.high)) or "see the fact"
      wrap(out, ("%s: %s [%s; %s, %s]"):format(label, amount, o.evidence, o.fact, o.source.id), width)
      sums = sums or o.form == "K2"
    end
    if #f.menaquinones == 0 then
      wrap(out, sums and "menaquinones by form (MK-4 … MK-10): none recorded; the K2 figures above are as each source reports them"
        or "menaquinones: none recorded (USDA counts K1 only; absent here is unknown, not zero)", width)
    end
    for _, c in ipairs(f.conflicts) do wrap(out, ("sources disagree [%s]: %s"):format(c.id, c.summary), width, "  ! ") end
    if #f.measures > 0 then
      local parts = {}
      for _, m in ipairs(f.measures) do
        parts[#parts + 1] = ("%s = %s g"):format(m.name, num(m.grams))
      end
      wrap(out, "measures: " .. table.concat(parts, "; "), width)
    end
    return out
  end,
  to_table = function(f) return show().plain(f) end,
})

shapes.intake = shapes.define("intake", {
  methods = { csv_table = function(r)
    local rows = {}
    local by_form, facts_of = {}, {}
    local function gather(into, form, words)
      into[form] = into[form] or {}
      for w in (words or ""):gmatch("%S+") do
        if not into[form][w] then into[form][w] = true; into[form][#into[form] + 1] = w end
      end
    end
    for _, it in ipairs(r.items) do
      for _, form in ipairs(it.order) do
        rows[#rows + 1] = { cell(it.text), it.food_id or "", it.grams or "", form, it.forms[form],
          cell(it.sources[form]), it.facts[form] or "" }
        gather(by_form, form, it.sources[form])
        gather(facts_of, form, it.facts[form])
      end
    end
    for _, form in ipairs(r.order) do
      rows[#rows + 1] = { "total", "", "", form, r.forms[form], cell(table.concat(by_form[form], " ")),
        table.concat(facts_of[form] or {}, " ") }
    end
    return { columns = { "item", "food_id", "grams", "form", "ug", "source", "fact" }, rows = rows }
  end },
  lines = function(r, width)
    local out = { "vitamin K in what was eaten or taken:" }
    for _, it in ipairs(r.items) do
      local parts = {}
      for _, form in ipairs(it.order) do parts[#parts + 1] = ("%s %s µg"):format(form, num(it.forms[form])) end
      local what = it.food_id and ("%s (%s), %s g"):format(it.name, it.food_id, num(it.grams)) or it.name
      wrap(out, ("%s → %s: %s"):format(it.text, what, #parts > 0 and table.concat(parts, ", ") or "no figure"), width,
        "  - ")
      for _, n in ipairs(it.notes) do wrap(out, n, width, "      ") end
    end
    local parts = {}
    for _, form in ipairs(r.order) do parts[#parts + 1] = ("%s %s µg"):format(form, num(r.forms[form])) end
    wrap(out, ("per form: %s; total %s µg"):format(table.concat(parts, ", "), num(r.total)), width)
    if r.adequate then
      for _, a in ipairs(r.adequate) do
        wrap(out, ("adequate intake: %s µg/day of %s — %s [agency reference; %s, %s]"):format(num(a.value), a.form,
          a.population, a.fact, a.source), width, "  = ")
      end
    else
      wrap(out, "adequate intake: give age (and sex) to see yours", width)
    end
    wrap(out, "sources: " .. table.concat(r.sources, ", ") .. (#r.facts > 0 and "; facts: " .. table.concat(r.facts, ", ")
      or ""), width)
    if r.notice then show().text_into(out, r.notice, width) end
    return out
  end,
  to_table = function(r)
    local t = show().plain(r)
    t.order = nil
    for _, it in ipairs(t.items) do it.order = nil end
    return t
  end,
})

---------------------------------------------------------------- the calls

--- M.new{core=, fact=, conflict=, facts=, parse_dose=, form=, notice=} → {foods, food, intake, amount}
function M.new(deps)
  local tbl, weights, volumes
  local function table_()
    if not tbl then
      local t, err = deps.core.food_open()
      if not t then error("k2: cannot open the built-in food table: " .. tostring(err), 0) end
      tbl, weights, volumes = t, t:weights(), t:volumes()
    end
    return tbl
  end
  local api = {}

  function api.foods(text, limit)
    local list, err = table_():search(text, limit)
    if not list then return nil, err end
    list.query = text
    return setmetatable(list, shapes.food_list)
  end

  function api.food(id)
    local f, err = table_():get(id)
    if not f then return nil, err end
    local usda = deps.fact("food.usda.k1-only")
    local r = { id = f.id, name = f.name, k1_per_100g = f.k1_per_100g, deprecated = f.deprecated, measures = {},
      menaquinones = {}, other = {}, conflicts = {}, source = usda and usda.source or { id = "USDA-SR24" } }
    -- name as the contract has it ("1 cup"); unit and amount as USDA writes them (0.75 "cup" = 30 g)
    for i, m in ipairs(f.measures) do
      r.measures[i] = { name = num(m.amount) .. " " .. m.name, unit = m.name, amount = m.amount, grams = m.grams }
    end
    local seen_conflict = {}
    for _, l in ipairs(f.links) do
      local fact = deps.fact(l.fact)
      if fact and l.fact ~= "food.usda.k1-only" then
        local entry = { form = l.form, per_100g = l.value, low = l.value == nil and fact.low or nil,
          high = l.value == nil and fact.high or nil, fact = l.fact, source = fact.source, evidence = fact.evidence,
          claim = fact.claim }
        if is_menaquinone(l.form) then r.menaquinones[#r.menaquinones + 1] = entry
        else r.other[#r.other + 1] = entry end
        for _, cid in ipairs(fact.conflicts or {}) do
          if not seen_conflict[cid] then
            seen_conflict[cid] = true
            local c = deps.conflict(cid)
            if c then r.conflicts[#r.conflicts + 1] = { id = c.id, summary = c.summary } end
          end
        end
      end
    end
    return setmetatable(r, shapes.food)
  end

  -- Size words of USDA's household measures ("1 large", "1 medium (3\" dia)").
  local SIZE_WORDS = { small = true, medium = true, large = true, extra = true, jumbo = true }

  -- "2 slices" → "slice"; "leaves" → "leaf"
  local function singular(w)
    if w:match("ves$") then return w:sub(1, -4) .. "f" end
    if w:match("[sxz]es$") or w:match("ches$") then return w:sub(1, -3) end
    if w:match("[^s]s$") then return w:sub(1, -2) end
    return w
  end

  -- The measure a word names: one named exactly so ("slices"), then one whose first word is
  -- it in the singular ("slice (1 oz)", "cup, chopped"), then one with the word anywhere.
  local function find_measure_named(food, word)
    local raw = word:lower()
    local w = singular(raw)
    local function first_word(m) return singular((m.name:lower():match("^(%a+)") or "")) end
    local passes = {
      function(m) return m.name:lower() == raw end,
      function(m) return m.name:lower() == w end,
      function(m) return first_word(m) == w end,
      function(m)
        for x in m.name:lower():gmatch("%a+") do if singular(x) == w then return true end end
        return false
      end,
    }
    for _, pass in ipairs(passes) do
      for _, m in ipairs(food.measures) do if pass(m) then return m end end
    end
    return nil
  end

  -- The other spelling of a household measure: USDA writes "tbsp" for some foods and
  -- "tablespoon" for others, people write either.
  local MEASURE_ALIAS = { tbsp = "tablespoon", tablespoon = "tbsp", tablespoons = "tbsp", tbsps = "tablespoon",
    tsp = "teaspoon", teaspoon = "tsp", teaspoons = "tsp", tsps = "teaspoon" }
  local function find_measure(food, word)
    local alias = MEASURE_ALIAS[word:lower()]
    return find_measure_named(food, word) or (alias and find_measure_named(food, alias))
  end

  local function measure_names(food)
    local names = {}
    for i, m in ipairs(food.measures) do names[i] = "'" .. num(m.amount) .. " " .. m.name .. "'" end
    return #names > 0 and table.concat(names, ", ") or "none (give grams, oz or lb)"
  end

  -- The food's household measure by volume (data/food/volumes.tsv: cup, tbsp, tsp, fl oz), the
  -- largest there is (the least rounded), and its grams per mL; nil when it has none.
  local function by_volume(food)
    local best, best_ml
    for _, m in ipairs(food.measures) do
      local name = m.name:lower()
      local v = volumes[name:match("^fl%.? oz") and "fl oz" or name:match("^%a+") or ""]
      if v and v.kind == "measure" and (not best or m.amount * v.ml > best_ml) then best, best_ml = m, m.amount * v.ml end
    end
    if best then return best, best.grams / best_ml, best_ml end
  end

  -- The amount `text` (n `unit`, ml mL) of food, weighed by the food's largest measure by volume.
  local function weigh_by_volume(text, food, n, unit, ml)
    local m, per_ml, m_ml = by_volume(food)
    if not m then
      return nil, ("'%s' has no measure by volume (cup, tbsp, tsp, fl oz) to turn %s %s into grams; give"
        .. " grams or one of its measures: %s"):format(food.name, num(n), unit, measure_names(food))
    end
    return { text = text, food = food, grams = ml * per_ml,
      volume_note = ("%s mL taken at USDA's %s %s = %s g (%s mL)"):format(num(ml), num(m.amount), m.name,
        num(m.grams), num(m_ml)) }
  end

  -- Fractions written as one character (U+00BC-U+00BE, U+2153-U+215E): "½ cup", "1½ cups".
  local VULGAR = { ["½"] = 1 / 2, ["¼"] = 1 / 4, ["¾"] = 3 / 4, ["⅓"] = 1 / 3, ["⅔"] = 2 / 3, ["⅕"] = 1 / 5,
    ["⅖"] = 2 / 5, ["⅗"] = 3 / 5, ["⅘"] = 4 / 5, ["⅙"] = 1 / 6, ["⅚"] = 5 / 6, ["⅛"] = 1 / 8, ["⅜"] = 3 / 8,
    ["⅝"] = 5 / 8, ["⅞"] = 7 / 8 }

  -- "1 1/2", "1/2", "1½", "½", "0.75", "1,5" (a decimal comma), "1,500" (a thousands comma:
  -- three digits after it), "2", "a", "an" → number, rest
  local function read_number(text)
    local w, n, d, rest = text:match("^(%d+)%s+(%d+)/(%d+)%s*(.*)$")
    if w then return tonumber(w) + tonumber(n) / tonumber(d), rest end
    n, d, rest = text:match("^(%d+)/(%d+)%s*(.*)$")
    if n then return tonumber(d) ~= 0 and tonumber(n) / tonumber(d) or nil, rest end
    local whole, frac
    whole, frac, rest = text:match("^(%d*)%s*([\194\226][\128-\191]+)%s*(.*)$")
    if frac and VULGAR[frac] then return (tonumber(whole) or 0) + VULGAR[frac], rest end
    w, d, rest = text:match("^(%d+),(%d+)%f[^%d]%s*(.*)$")
    if w then return tonumber(#d == 3 and w .. d or w .. "." .. d), rest end
    n, rest = text:match("^(%d*%.?%d+)%s*(.*)$")
    if n then return tonumber(n), rest end
    n, rest = text:match("^(an?)%s+(.*)$")
    if n then return 1, rest end
    return nil, text
  end

  local function suggest(text)
    local l = text:find("%S") and table_():search(text, 5)
    if not l or #l == 0 then return "" end
    local names = {}
    for i, f in ipairs(l) do names[i] = ("%s (%s)"):format(f.name, f.id) end
    return "; did you mean: " .. table.concat(names, ", ")
  end

  local amount_of -- the amount as written, before its limit

  -- n measure_word rest, where one word of rest belongs to the measure: "1 cup chopped kale" is
  -- USDA's "1 cup, chopped" of kale. The word is dropped from the food's name only when the
  -- food found has a measure holding it, so "1 cup chopped unobtainium" stays unknown.
  -- first_only: only the word right after the measure ("1 cup sliced strawberries" is raw
  -- strawberries by their "cup, sliced", before the frozen ones whose name says sliced).
  local function qualified(n, text, measure_word, rest, whole, first_only)
    local words = {}
    for w in rest:gmatch("%S+") do words[#words + 1] = w end
    if #words < 2 then return nil end
    local unit = singular(measure_word:lower())
    for i, w in ipairs(words) do
      if first_only and i > 1 then break end
      local others = table.concat(words, " ", 1, i - 1) .. " " .. table.concat(words, " ", i + 1)
      local list = whole(table_():search(others, CANDIDATES))
      local food = list and table_():get(list[1].id)
      for _, m in ipairs(food and food.measures or {}) do
        local name = m.name:lower()
        if singular(name:match("^(%a+)") or "") == unit and name:find(w:lower(), 1, true) then
          return { text = text, food = food, grams = n * m.grams / m.amount, measure = m.name }
        end
      end
    end
    return nil
  end

  --- api.amount(text) → {text=, food=, grams=, measure=} | nil, message
  function api.amount(text)
    local a, err = amount_of(text)
    local most = deps.core.limits.food_max_grams
    if a and (a.grams > most or a.grams ~= a.grams) then
      return nil, ("'%s' is %s g; one amount of a food can be at most %s g (food_max_grams)"):format(text,
        num(a.grams), num(most))
    end
    return a, err
  end

  function amount_of(text)
    local s = text:gsub("^%s+", ""):gsub("%s+$", "")
    local n, rest = read_number(s)
    if not n and s:match("^%-%s*%d") then n = -1 end -- read_number reads no sign: "-50 g" is a negative amount
    if n and n <= 0 then
      return nil, ("'%s': the amount must be more than 0"):format(text)
    elseif not n then
      return nil, ("'%s': give an amount first: grams, kg, oz, lb, mL, L or one of the food's measures"
        .. " ('50 g natto', '1 cup raw spinach', '2 slices cheddar')"):format(text)
    end
    table_()
    -- "fl oz" is one measure in two words (USDA's own name for it)
    local unit, after = "fl oz", rest:match("^[Ff][Ll]%.?%s*[Oo][Zz]%f[^%w]%.?%s*(.*)$")
    if not after then unit, after = rest:match("^(%a+)%.?%s+(.*)$") end
    local alone = not unit and rest:match("^(%a+)%.?$") -- "100 g": a unit with no food after it
    if alone and (weights[alone:lower()] or volumes[alone:lower()]) then unit, after = alone, "" end
    local grams, measure_word, ml
    local volume = unit and volumes[unit:lower()]
    if unit and weights[unit:lower()] then
      grams = n * weights[unit:lower()]
      rest = after
    elseif volume and volume.kind == "amount" then -- "250 ml milk": grams from the food's own cup
      ml = n * volume.ml
      rest = after
    elseif unit then
      measure_word, rest = unit, after
    end
    rest = rest:gsub("^of%s+", "")
    if not rest:find("%w") then return nil, ("'%s': which food? e.g. '%s spinach'"):format(text, s) end
    -- an amount names one food: its name must hold every word (a search's partial matches,
    -- "raw" alone for "raw unobtainium", are suggestions, never the food eaten)
    local function whole(l) return l and #l > 0 and not l[1].partial and l or nil end
    local found = measure_word and qualified(n, text, measure_word, rest, whole, true)
    if found then return found end
    local list = rest:match("^%d%d%d%d%d$") and { { id = rest } } or whole(table_():search(rest, CANDIDATES))
    if not list and measure_word then -- "2 eggs": the word may be the food itself
      list = whole(table_():search(measure_word .. " " .. rest, CANDIDATES))
    end
    if not list and measure_word then -- "1 cup chopped kale": a word of USDA's measure ("cup, chopped")
      found = qualified(n, text, measure_word, rest, whole)
      if found then return found end
    end
    if not list then return nil, ("no food matches '%s'%s"):format(rest, suggest(rest)) end
    local first, err = table_():get(list[1].id)
    if not first then return nil, err end
    if grams then return { text = text, food = first, grams = grams } end
    if ml then
      local own = find_measure(first, unit) -- the food's own "liter" (tap water: 1000 g) comes first
      if own then return { text = text, food = first, grams = n * own.grams / own.amount, measure = own.name } end
      return weigh_by_volume(text, first, n, unit, ml)
    end
    local foods = { first }
    local function candidate(i)
      if not foods[i] and list[i] then foods[i] = table_():get(list[i].id) or false end
      return foods[i]
    end
    -- the best-ranked food with the measure wanted ("2 large eggs" skips dried egg, which has
    -- none); a size word or a bare count ("2 eggs") prefers a food sold whole, in sizes (one
    -- with a "medium" measure: the whole egg before the yolk), and a bare count is a medium one
    local size = not measure_word or SIZE_WORDS[measure_word:lower()]
    for _, want in ipairs(size and { "medium", false } or { false }) do
      for i = 1, #list do
        local food = candidate(i)
        local m = food and (not want or find_measure(food, want)) and find_measure(food, measure_word or "medium")
        if m then
          return { text = text, food = food, grams = n * m.grams / m.amount, measure = m.name,
            each = not measure_word and m.grams / m.amount or nil }
        end
      end
    end
    if not measure_word then
      return nil, ("'%s': how much %s? give grams, oz, lb or a measure: %s"):format(text, first.name,
        measure_names(first))
    end
    -- a volume the food has no measure of ("1 tbsp" of a food measured in cups): by its largest one
    local volume_word = measure_word and volumes[measure_word:lower()]
    if volume_word then return weigh_by_volume(text, first, n, measure_word, n * volume_word.ml) end
    return nil, ("'%s' has no measure '%s'; its measures: %s"):format(first.name, measure_word, measure_names(first))
  end

  local function adequate(opts)
    if not opts.age then return nil end
    local rows = {}
    for _, f in ipairs(deps.facts({ topic = "intake" })) do
      local lo, hi = f.age_min or 0, f.age_max or math.huge
      -- rows for pregnancy or breastfeeding alone are not the person's unless asked for
      local special = f.population:find("^pregnant") or f.population:find("^breastfeeding")
      if f.evidence == "agency reference" and f.value and f.unit == "µg/day" and not special
        and opts.age >= lo and opts.age < hi and (not f.sex or not opts.sex or f.sex == opts.sex) then
        rows[#rows + 1] = { value = f.value, unit = f.unit, form = table.concat(f.forms, ", "),
          population = f.population, fact = f.id, source = f.source.id }
      end
    end
    return rows
  end

  local function source_of(fact_id)
    local fact = deps.fact(fact_id)
    return fact and fact.source and fact.source.id or "?"
  end

  -- An entry of an intake list: a dose taken as such ({form=, dose=}) or an amount of food.
  local function read_entry(entry)
    if type(entry) ~= "table" then return api.amount(entry) end
    local form, err = deps.form(entry.form)
    if not form then return nil, err end
    local ug, derr = deps.parse_dose(entry.dose)
    if not ug then return nil, derr end
    return { form = form, ug = ug }
  end

  --- api.intake(list, opts) → intake result | nil, message
  function api.intake(list, opts)
    local r = { items = {}, forms = {}, order = {}, total = 0, sources = {}, facts = {} }
    local seen = {}
    local function once(ids, id) if id and not seen[ids][id] then seen[ids][id] = true; ids[#ids + 1] = id end end
    seen[r.sources], seen[r.facts] = {}, {}
    -- a figure's source (USDA-SR24, a paper's key) and the fact that carries it, each listed once
    local function cite(source, fact)
      once(r.sources, source)
      once(r.facts, fact)
    end
    -- source: where a figure comes from (USDA-SR24, a paper's key, "as taken" for a dose given as
    -- such), fact: the literature fact that carries it, as k2.food's CSV names them
    local function add(item, form, ug, source, fact)
      if not item.forms[form] then item.order[#item.order + 1] = form end
      item.sources[form] = item.sources[form] and (item.sources[form] .. " " .. source) or source
      if fact then item.facts[form] = item.facts[form] and (item.facts[form] .. " " .. fact) or fact end
      item.forms[form] = (item.forms[form] or 0) + ug
      if not r.forms[form] then r.order[#r.order + 1] = form end
      r.forms[form] = (r.forms[form] or 0) + ug
      r.total = r.total + ug
    end
    local read, failed = {}, {}
    for i, entry in ipairs(list) do
      local got, err = read_entry(entry)
      if got then read[i] = got else failed[#failed + 1] = ("item %d: %s"):format(i, err) end
    end
    -- every item that cannot be read is named at once, and nothing is totalled from the rest
    if #failed > 0 then return nil, table.concat(failed, "; ") end
    for i, entry in ipairs(list) do
      local item = { forms = {}, order = {}, notes = {}, sources = {}, facts = {} }
      if read[i].form then
        item.text, item.name = ("%s %s"):format(read[i].form, entry.dose), "taken as such"
        add(item, read[i].form, read[i].ug, "as taken")
      else
        local a = read[i]
        local food = a.food
        item.text, item.food_id, item.name, item.grams, item.measure = entry, food.id, food.name, a.grams, a.measure
        if a.each then item.notes[#item.notes + 1] = ("a count: taken as %s, %s g each"):format(a.measure, num(a.each)) end
        if a.volume_note then item.notes[#item.notes + 1] = a.volume_note end
        if food.k1_per_100g then
          add(item, "K1", food.k1_per_100g * a.grams / 100, "USDA-SR24")
          cite("USDA-SR24")
        else
          item.notes[#item.notes + 1] = "K1 not measured by USDA for this food (unknown, not zero)"
        end
        local used = {}
        for _, l in ipairs(food.links) do
          if is_menaquinone(l.form) and l.value and not used[l.form] then
            used[l.form] = true
            local source = source_of(l.fact)
            add(item, l.form, l.value * a.grams / 100, source, l.fact)
            cite(source, l.fact)
            item.notes[#item.notes + 1] = ("%s from %s (%s µg/100 g)"):format(l.form, l.fact, num(l.value))
          elseif (l.form == "K" or l.form == "K2") and l.value then
            cite(source_of(l.fact), l.fact)
            item.notes[#item.notes + 1] = ("reported total over %s: %s µg (%s µg/100 g, %s); not added"):format(
              l.form == "K" and "all forms" or "menaquinones (K2)", num(l.value * a.grams / 100), num(l.value), l.fact)
          end
        end
      end
      r.items[i] = item
    end
    r.adequate = adequate(opts)
    for _, a in ipairs(r.adequate or {}) do cite(a.source, a.fact) end
    r.notice = deps.notice and deps.notice() or nil
    return setmetatable(r, shapes.intake)
  end

  return api
end

return M
