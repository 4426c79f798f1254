--- k2.advice.answer: what the dose, timing and check answers share — the
--- form's warnings, the disagreements and sources behind a set of facts, the
--- shapes of the lists inside an answer, and the text every answer ends
--- with (disagreements, notes, sources, notice) — so each answer's own file
--- only decides and words its answer.

local show = require("k2.show")
local shapes = require("k2.shapes")

local answer = {}

--- The form rules (such as "avoid menadione") as warnings for any answer.
function answer.form_warnings(R, form)
  local out = {}
  for _, r in ipairs(R:for_form("FormRule", form)) do
    out[#out + 1] = { level = r.Level, message = R:render(r.Message), facts = r.facts }
  end
  return out
end

--- Disagreements behind a set of facts: each once, with its summary and the facts on every side.
function answer.conflicts_of(R, facts)
  local seen, out = {}, {}
  for _, f in ipairs(facts) do
    for _, id in ipairs(f.conflicts) do
      if not seen[id] then
        seen[id] = true
        out[#out + 1] = R:conflict(id)
      end
    end
  end
  return out
end

--- A list of words, each once in first-seen order, as "a, b".
function answer.distinct(words)
  local seen, out = {}, {}
  for _, w in ipairs(words) do
    if not seen[w] then seen[w] = true; out[#out + 1] = w end
  end
  return table.concat(out, ", ")
end

--- The sources of a set of facts, each once.
function answer.sources_of(facts)
  local seen, out = {}, {}
  for _, f in ipairs(facts) do
    if not seen[f.source.id] then
      seen[f.source.id] = true
      out[#out + 1] = f.source
    end
  end
  return out
end

-- The lists inside an answer print readably too (d.basis, ch.findings, ...).
local LIST_SHAPES = { basis = "fact_list", context = "fact_list", nearest = "fact_list", notes = "list",
  findings = "items", conflicts = "items", warnings = "items", sources = "source_list" }

--- Gives the lists (and findings) inside an answer their shapes; returns it.
function answer.shaped(a)
  for key, kind in pairs(LIST_SHAPES) do
    local l = a[key]
    -- an empty fact list prints "(none)", not the search's "try fewer words"
    if type(l) == "table" then shapes.shaped(l, #l == 0 and "items" or kind) end
  end
  for _, key in ipairs({ "findings", "warnings" }) do
    for _, f in ipairs(a[key] or {}) do
      if f.message then shapes.shaped(f, "finding") end
    end
  end
  return a
end

---------------------------------------------------------------- text

--- Appends a titled list of facts, each with its amount, evidence and id.
function answer.basis_into(out, facts, title, width)
  if #facts == 0 then return end
  out[#out + 1] = title
  for _, f in ipairs(facts) do
    local a = show.amount(f)
    show.wrap_into(out, ("%s%s [%s; %s]"):format(a and (a .. " — ") or "", f.claim, f.evidence, f.id), width,
      "      ", "  - ")
  end
end

--- Appends the answer's warnings (the form's rules), level first.
function answer.warnings_into(out, a, width)
  for _, w in ipairs(a.warnings or {}) do
    show.wrap_into(out, ("%s [%s]"):format(w.message, table.concat(w.facts, ", ")), width, "      ",
      ("  %s: "):format(w.level:upper()))
  end
end

--- Appends what every answer ends with: disagreements, notes, sources and the notice.
function answer.tail_into(out, a, width)
  for _, c in ipairs(a.conflicts) do
    show.wrap_into(out, c.summary, width, "      ", ("  ! sources disagree [%s]: "):format(c.id))
    show.wrap_into(out, table.concat(c.facts, ", "), width, "      ", "    facts: ")
  end
  for _, n in ipairs(a.notes) do show.wrap_into(out, n, width, "    ", "  note: ") end
  local cites = {}
  for _, s in ipairs(a.sources) do cites[#cites + 1] = ("[%s] %s"):format(s.id, show.cite(s)) end
  if #cites > 0 then show.wrap_into(out, table.concat(cites, "; "), width, "    ", "  sources: ") end
  show.wrap_into(out, a.notice, width, "", "")
  return out
end

--- The shape of an answer kind: its lines from `lines(a, width)`, its table a plain copy.
function answer.define(name, lines, to_table)
  return shapes.define(name, { lines = lines, to_table = to_table })
end

return answer
