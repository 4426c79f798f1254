--- k2.measures: the Measured field of a study record (data/studies/
--- observations.rec) read into what a model curve can be held against.
--- Pure Lua with no requires, so the data tool (tools/k2data.lua) checks the
--- field at build time with the same reader k2.pk uses at run time.
---
--- A field is items separated by ";", each one of
---   tmax 3.7 h | tmax 6-10 h          the time of the peak (a range: low-high)
---   cmax 325 ng/mL | cmax 2.1 nmol/L  the peak level
---   auc 0-9 27.55 nmol·h/L            the area from 0 to 9 h ("0-inf": to infinity)
---   not detected                      no level above quantification
--- optionally followed by a note in brackets ("(the tablet)", "(about)").
--- Units: hours; ng/mL or nmol/L; ng·h/mL or nmol·h/L.

local measures = {}

-- The units each quantity may carry, and the concentration unit under it.
local UNITS = {
  tmax = { h = "h" },
  cmax = { ["ng/mL"] = "ng/mL", ["nmol/L"] = "nmol/L" },
  auc = { ["ng·h/mL"] = "ng/mL", ["nmol·h/L"] = "nmol/L" },
}

local NUMBER = "(%d+%.?%d*)"

-- One item → {what, low, high, unit, level_unit, from_h, to_h, note} or nil, why.
local function item(text)
  local note = text:match("%((.-)%)%s*$")
  local body = text:gsub("%s*%(.-%)%s*$", ""):match("^%s*(.-)%s*$")
  if body == "not detected" then return { what = "not detected", note = note } end
  local what, rest = body:match("^(%a+)%s+(.*)$")
  if not (what and UNITS[what]) then return nil, ("'%s': give tmax, cmax, auc or not detected"):format(text) end
  local m = { what = what, note = note }
  if what == "auc" then
    local from, to
    from, to, rest = rest:match("^(%d+%.?%d*)%-(%w+)%s+(.*)$")
    if not from then return nil, ("'%s': an auc gives its span, 0-9 or 0-inf"):format(text) end
    m.from_h, m.to_h = tonumber(from), to == "inf" and math.huge or tonumber(to)
    if not m.to_h then return nil, ("'%s': the span ends at a number of hours or inf"):format(text) end
  end
  local low, high, unit = rest:match("^" .. NUMBER .. "%-" .. NUMBER .. "%s+(%S+)$")
  if not low then
    low, unit = rest:match("^" .. NUMBER .. "%s+(%S+)$")
    high = low
  end
  if not low then return nil, ("'%s': give a number (or low-high) and a unit"):format(text) end
  if not UNITS[what][unit] then return nil, ("'%s': unit '%s' is not one for %s"):format(text, unit, what) end
  m.low, m.high, m.unit, m.level_unit = tonumber(low), tonumber(high), unit, UNITS[what][unit]
  if m.low > m.high then return nil, ("'%s': the range runs from low to high"):format(text) end
  return m
end

--- measures.parse(text) → a list of measures (empty for nil or ""), or nil, message.
function measures.parse(text)
  local out = {}
  for part in (text or ""):gmatch("[^;]+") do
    if part:match("%S") then
      local m, err = item(part)
      if not m then return nil, err end
      out[#out + 1] = m
    end
  end
  return out
end

--- measures.fold(model, m) → the fold error of a model value against measure m:
--- max(model/observed, observed/model), 1 inside a measured range; nil when
--- either is not a positive number.
function measures.fold(model, m)
  if not (model and model > 0 and m.low and m.low > 0) then return nil end
  if model >= m.low and model <= m.high then return 1 end
  local near = model < m.low and m.low or m.high
  return math.max(model / near, near / model)
end

return measures
