-- test_k2data.lua — the data validator (tools/k2data.lua) rejects what the
-- README of data/ forbids, naming file and line, and accepts a good set.
-- Run: lua5.4 tests/tools/test_k2data.lua   (prints "tools: N passed, N failed")
local passed, failed = 0, 0
local tmp = os.tmpname()
os.remove(tmp)
assert(os.execute("mkdir -p " .. tmp))

local VOCAB = [[
Form: K
About: any
Alias: vitamin k

Form: MK-7
About: mk7
Broader: K
Alias: mk7

Topic: dosing
About: doses

Evidence: human RCT
About: a trial
Hand: first

Evidence: popular article
About: a consumer page
Hand: second

Kind: journal article
About: a paper
Allows: human RCT

Kind: popular article
About: a consumer page
Allows: popular article

Unit: µg/day

Unit: fold

Unit: h

Matrix: supplement
About: a tablet

Matrix: vegetable
About: spinach
]]

local GOOD = [[
Source: S1
Title: A trial
Year: 2012
Kind: journal article
Ref: doi:10/1

Conflict: c1
Topic: dosing
Summary: two sides

Passage: 1
About: one passage
Source: S1

Fact: a.one
Topic: dosing
Forms: MK-7
Population: adults
Claim: One side,
+ continued.
Low: 10
High: 20
Unit: µg/day
Evidence: human RCT
Source: S1
Seed: 1
Conflict: c1

Fact: a.two
Topic: dosing
Forms: K
Population: adults
Claim: The other side.
Value: 45
Unit: µg/day
Evidence: human RCT
Source: S1
Conflict: c1
]]

local function write(name, text)
  local f = assert(io.open(tmp .. "/" .. name, "wb"))
  f:write(text)
  f:close()
end

-- Runs the validator on vocab + text; returns exit status and stderr.
local function check(text)
  write("vocab.rec", VOCAB)
  write("facts.rec", text)
  local p = io.popen(("lua5.4 tools/k2data.lua --check %s 2>&1"):format(tmp))
  local out = p:read("a")
  local ok = p:close() == true
  return ok, out
end

local function case(name, text, expect_ok, pattern)
  local ok, out = check(text)
  local good = (ok == expect_ok) and (pattern == nil or out:find(pattern) ~= nil)
  if good then passed = passed + 1 else failed = failed + 1 end
  print(("%s %s%s"):format(good and "ok  " or "FAIL", name, good and "" or ("\n" .. out)))
end

case("a good set passes", GOOD, true, "2 facts OK")
case("missing Source names file:line", (GOOD:gsub("Source: S1\nSeed: 1", "Seed: 1")), false, "facts%.rec:15: fact 'a%.one' has no Source")
case("missing Evidence names file:line", (GOOD:gsub("Evidence: human RCT\nSource: S1\nSeed", "Source: S1\nSeed")), false,
  "facts%.rec:15: fact 'a%.one' has no Evidence")
case("duplicate id names both places", (GOOD:gsub("Fact: a%.two", "Fact: a.one")), false,
  "facts%.rec:29: duplicate fact id 'a%.one' %(first at [^)]*facts%.rec:15%)")
case("unknown unit", (GOOD:gsub("Value: 45\nUnit: µg/day", "Value: 45\nUnit: mcg")), false, "facts%.rec:35: .*unknown unit 'mcg'")
case("unknown topic", (GOOD:gsub("Topic: dosing\nForms: K\n", "Topic: dose\nForms: K\n")), false, "unknown topic 'dose'")
case("unknown form", (GOOD:gsub("Forms: K\n", "Forms: MK-9\n")), false, "unknown form 'MK%-9'")
case("unknown evidence type", (GOOD:gsub("Evidence: human RCT\nSource: S1\nConflict", "Evidence: hearsay\nSource: S1\nConflict")), false,
  "unknown evidence type 'hearsay'")
case("unknown source", (GOOD:gsub("Source: S1\nConflict", "Source: S9\nConflict")), false, "unknown source 'S9'")
case("a decimal comma is not a number", (GOOD:gsub("Value: 45", "Value: 4,5")), false, "is not a plain decimal number")
case("a number needs a unit", (GOOD:gsub("Value: 45\nUnit: µg/day\n", "Value: 45\n")), false, "has a number but no Unit")
case("Value and Low together", (GOOD:gsub("Value: 45", "Value: 45\nLow: 40")), false, "give Value or Low/High, not both")
case("a one-sided conflict", (GOOD:gsub("Source: S1\nConflict: c1\n$", "Source: S1\n")), false, "conflict 'c1' is named by 1 fact")
case("a seed passage with no fact", (GOOD:gsub("Seed: 1\n", "")), false, "seed passage 1 has no fact")
case("a source without a year", (GOOD:gsub("Year: 2012\n", "")), false, "source 'S1' has no Year")
case("an unknown field", (GOOD:gsub("Population: adults\nClaim: The", "Populaton: adults\nClaim: The")), false,
  "unknown field 'Populaton'")

-- Evidence follows the source's kind: a popular page reporting a trial is a popular article.
local POPULAR = GOOD .. [[

Source: P1
Title: A page about the trial
Year: n.d.
Kind: popular article
Ref: a web page

Fact: a.page
Topic: dosing
Forms: MK-7
Population: adults
Claim: A page repeats the trial's dose.
Value: 45
Unit: µg/day
Evidence: popular article
Source: P1
Via: S1
]]
case("a second-hand fact naming its study in Via passes", POPULAR, true, "3 facts OK")
case("a relapsed evidence type names the fact, its source's kind and the allowed types",
  (POPULAR:gsub("Evidence: popular article\nSource: P1", "Evidence: human RCT\nSource: P1")), false,
  "facts%.rec:%d+: fact 'a%.page': evidence type 'human RCT' does not fit its source 'P1' %(kind 'popular article'%);"
    .. " that kind allows: popular article")
case("Via on first-hand evidence", (GOOD:gsub("Source: S1\nConflict: c1\n$", "Source: S1\nVia: S1\nConflict: c1\n")), false,
  "fact 'a%.two': Via is for second%-hand evidence")
case("Via to an unknown source", (POPULAR:gsub("Via: S1", "Via: S9")), false, "unknown source 'S9' in Via")
case("Via naming the fact's own source", (POPULAR:gsub("Via: S1", "Via: P1")), false, "Via names the fact's own Source")
case("Via to a second-hand source", (POPULAR:gsub("Via: S1", "Via: P2") .. [[

Source: P2
Title: Another page
Year: n.d.
Kind: popular article
Ref: another web page
]]), false, "Via source 'P2' %(kind 'popular article'%) holds no first%-hand evidence")
case("a source in Via is not repeated in Also", (POPULAR:gsub("Via: S1", "Via: S1\nAlso: S1")), false,
  "'S1' is in Via, so not in Also")
case("a kind must list what it allows", (GOOD:gsub("^", "Kind: letter\nAbout: a letter\n\n")), false,
  "kind 'letter' has no Allows")

-- A fat factor names the matrix it was measured on, and a model with one names
-- the matrix it describes, so the model code can keep a spinach factor off tablets.
local MODEL = GOOD .. [[

Fact: m.tmax
Topic: dosing
Forms: MK-7
Population: adults
Claim: Peak at 4 h.
Value: 4
Unit: h
Evidence: human RCT
Source: S1

Fact: m.half
Topic: dosing
Forms: MK-7
Population: adults
Claim: Half-life 68 h.
Value: 68
Unit: h
Evidence: human RCT
Source: S1

Fact: m.fat
Topic: dosing
Forms: MK-7
Population: adults eating spinach with butter
Claim: Butter tripled it.
Value: 3
Unit: fold
Matrix: vegetable
Evidence: human RCT
Source: S1

Model: MK-7/default
Form: MK-7
Set: default
About: a set
Tmax: m.tmax
HalfLife: m.half
Fat: m.fat
Matrix: supplement
]]
case("a model and its fat factor that name their matrices pass", MODEL, true, "5 facts OK")
case("a fat factor without a matrix", (MODEL:gsub("Matrix: vegetable\n", "")), false,
  "model 'MK%-7/default': fat factor 'm%.fat' names no Matrix it was measured on")
case("a model with a fat factor but no matrix", (MODEL:gsub("Fat: m%.fat\nMatrix: supplement", "Fat: m.fat")), false,
  "model 'MK%-7/default' has a fat factor but no Matrix saying what it models")
case("an unknown matrix", (MODEL:gsub("Matrix: vegetable", "Matrix: soup")), false, "unknown matrix 'soup'")
-- A baseline is a level in ng/mL, so only a set with a volume (ng/mL) can add it.
case("a baseline in a set without a volume", MODEL .. "Baseline: m.half\n", false,
  "model 'MK%-7/default': Baseline must name a fact with a Value in ng/mL, in a set with V")
case("life stage and newborn records name known facts", GOOD .. [[

LifeStage: pregnancy
Names: pregnant
About: intakes in pregnancy
Facts: a.two

Newborn: prophylaxis
Forms: K
About: the dose at birth
Facts: a.nine
]], false, "Newborn 'prophylaxis': unknown fact 'a%.nine'")

-- A life stage is one the advice code asks about, and its facts have age bands.
local STAGE = GOOD .. [[

LifeStage: pregnancy
Names: pregnant
About: intakes in pregnancy
Facts: a.two
]]
case("a life stage whose fact has no age band", STAGE, false, "LifeStage 'pregnancy': fact 'a%.two' has no Ages band")
case("a life stage the advice code does not ask about", (STAGE:gsub("LifeStage: pregnancy", "LifeStage: old-age")), false,
  "LifeStage 'old%-age': a LifeStage is pregnancy or breastfeeding")

-- A threshold belongs to a known medicine record and names a daily dose.
local THRESHOLD = GOOD .. [[

Medicine: vka
Names: warfarin
Level: warning
Message: keep intake steady
Facts: a.two

Threshold: vka-mk7
Medicine: vka
Forms: MK-7
From: a.one
NoEffect: a.two
About: a study's doses
Facts: a.one
]]
case("a threshold on a known medicine with daily doses passes", THRESHOLD, true, "2 facts OK")
case("a threshold on an unknown medicine", (THRESHOLD:gsub("Medicine: vka\nForms", "Medicine: vkx\nForms")), false,
  "Threshold 'vka%-mk7': Medicine names no Medicine record 'vkx'")
case("a threshold dose that is not a daily amount", (THRESHOLD:gsub("Value: 45\nUnit: µg/day", "Value: 45\nUnit: fold")), false,
  "NoEffect fact 'a%.two' needs a Value or Low in mg/day or µg/day")

-- The phrasing of questions (data/ask.rec): intents name a known answer, a
-- synonym leads to a fact, ages and schedules carry positive numbers.
local ASK = GOOD .. [[

Intent: dose
About: how much
Answer: dose
Cues: how much, dose
Named: ages

Synonym: other half
Means: other side

Age: months
Words: month old, months
Per: 12

Schedule: daily
Words: daily, a day
Every: 24

Filler: question
Search: drop
Words: what, how
]]
case("good phrasing passes", ASK, true, "2 facts OK")
case("an intent with an unknown answer", (ASK:gsub("Answer: dose", "Answer: advice")), false,
  "Intent 'dose': Answer must be dose, timing, check, pk, food or search")
case("a synonym that leads to no fact", (ASK:gsub("Means: other side", "Means: nowhere")), false,
  "Synonym 'other half': 'nowhere' is in no fact's claim")
case("an age unit without a positive Per", (ASK:gsub("Per: 12", "Per: 0")), false,
  "Age 'months': Per must be a number above 0")
case("an intent counting an unknown kind of name", (ASK:gsub("Named: ages", "Named: foods")), false,
  "Named lists medicines, conditions, ages, persons or stages, not 'foods'")

-- A word that is an age (AgeWord) and an adult's words (Adult) take their age from a fact's age band.
local AGE_WORD = (ASK:gsub("Population: adults\nClaim: One side", "Population: adults\nAges: 0-0 mo\nClaim: One side")) .. [[

AgeWord: newborn
Words: newborn, at birth
From: a.one
]]
case("an age word from a fact with an age band passes", AGE_WORD, true, "2 facts OK")
case("an age word from a fact without one", (AGE_WORD:gsub("From: a%.one", "From: a.two")), false,
  "AgeWord 'newborn': From must name a fact with Ages, not 'a%.two'")

-- The real data passes, and every fact's evidence fits its source's kind.
local p = io.popen("lua5.4 tools/k2data.lua --check data 2>&1")
local out = p:read("a")
local ok = p:close() == true
local real = ok and out:find("facts OK") ~= nil
if real then passed = passed + 1 else failed = failed + 1 end
print(("%s the real data passes%s"):format(real and "ok  " or "FAIL", real and "" or ("\n" .. out)))

os.execute("rm -rf " .. tmp)
print(("tools: %d passed, %d failed"):format(passed, failed))
os.exit(failed == 0 and 0 or 1)
