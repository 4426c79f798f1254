---@meta
--- k2.types: the LuaCATS descriptions of k2's results and option tables, for
--- lua-language-server (completion of answer fields in Neovim and editors).
--- A definition file: nothing requires it and it holds no code. The public
--- functions carry their own ---@param/---@return in init.lua and pk.lua.

---------------------------------------------------------------- facts, answers (k2)

---@class k2.result
---@field lines fun(self: k2.result, width?: integer, look?: k2.look): string[] the text, laid out for `width` columns (default 78)
---@field to_table fun(self: k2.result): table plain data for JSON and CSV (no metatables, functions or userdata)

---@class k2.look
---@field height? integer plot rows
---@field ascii? boolean plot in ASCII instead of braille
---@field color? boolean ANSI colours, one per series
---@field plot? boolean false: the text without the plot

---@class k2.source: k2.result
---@field id string
---@field title string
---@field year string
---@field kind string journal article, drug label, agency report, ...
---@field ref string a DOI, URL or other way to find it
---@field authors? string
---@field journal? string
---@field note? string

---@class k2.fact: k2.result
---@field id string
---@field topic string dosing, intake, timing, pharmacokinetics, safety, ...
---@field form string the form it is about ("MK-7", "K"); forms lists every one
---@field forms string[]
---@field claim string the fact in words
---@field value? number
---@field low? number
---@field high? number
---@field unit? string
---@field population string
---@field ages? string
---@field age_min? number years
---@field age_max? number years (exclusive)
---@field sex? string
---@field evidence string human RCT, human PK study, drug label, ...
---@field certainty? string
---@field source k2.source
---@field conflicts string[] ids of the disagreements it is part of (k2.conflict)
---@field also string[]
---@field seed number[]
---@field note? string
---@field rank? number search results only: lower is better
---@field disagreements k2.conflict[] its disagreements, resolved (read on access)
---@field notice? string the notice, for a fact about dosing or safety

---@class k2.fact_list: k2.result
---@field [integer] k2.fact
---@field notice? string the notice, when a fact in it is about dosing or safety

---@class k2.source_list: k2.result
---@field [integer] k2.source

---@class k2.conflict: k2.result
---@field id string
---@field topic string
---@field summary string
---@field facts string[] ids of the facts on every side

---@class k2.info: k2.result
---@field version string
---@field abi string
---@field data_version string
---@field sqlite_version string
---@field facts integer
---@field sources integer
---@field conflicts integer

---@class k2.finding: k2.result
---@field level "ok"|"caution"|"warning"|"avoid"
---@field message string
---@field facts k2.fact[]
---@field source? k2.source
---@field evidence? string
---@field unknown? string a name k2 does not know (not checked)
---@field suggestions? string[] near names it may be

---@class k2.answer: k2.result
---@field form string the canonical form
---@field basis k2.fact_list the facts the answer stands on
---@field conflicts k2.conflict[]
---@field sources k2.source[]
---@field notes string[]
---@field warnings? k2.finding[] the form's own rules (avoid menadione)
---@field notice string

---@class k2.dose_answer: k2.answer
---@field low? number the range over the basis (nil when no source covers the case, or by_age)
---@field high? number
---@field unit? string
---@field by_age boolean no age given and the basis holds several age bands
---@field age? number
---@field sex? string
---@field purpose? string
---@field pregnant? boolean
---@field lactating? boolean
---@field context k2.fact_list the other sources' figures, beside the answer
---@field nearest k2.fact_list the nearest figures when none covers the case
---@field primary? table the rule record the answer follows (id, About)

---@class k2.timing_answer: k2.answer
---@field with_food boolean
---@field fat boolean
---@field time_of_day string
---@field tmax_h? number hours from a dose to its peak (the model)
---@field below_half_h? number hours until one dose falls below half its peak
---@field t90_h? number hours of daily doses to 90 % of steady state
---@field params? k2.params

---@class k2.check_answer: k2.answer
---@field level "ok"|"caution"|"warning"|"avoid" the worst finding's
---@field findings k2.finding[]
---@field dose_ug? number
---@field age? number
---@field duration_h? number
---@field meds string[]
---@field conditions string[]

---@class k2.search_opts
---@field limit? integer 1 to core.limits.search_max_limit (default 10)
---@field form? string
---@field topic? string
---@field evidence? string
---@field population? string a word of the population

---@class k2.dose_opts
---@field form? string default "K"
---@field age? number years
---@field sex? string
---@field purpose? string
---@field pregnant? boolean
---@field lactating? boolean

---@class k2.timing_opts
---@field form? string
---@field set? string the model's parameter set

---@class k2.check_opts
---@field form? string
---@field dose? string|number text ("100 ug") or µg
---@field age? number years
---@field meds? string[]|string medicines as people write them
---@field conditions? string[]|string
---@field duration? string|number text ("6 months") or hours

---------------------------------------------------------------- the model (k2.pk)

---@class k2.simulate_opts
---@field form string K1, MK-4, MK-7 (any spelling)
---@field dose string|number text ("180 ug") or µg
---@field set? string the parameter set (default "default")
---@field every? string|number the dosing interval: text ("24h") or hours
---@field per_day? integer doses a day, instead of every
---@field days? number days to run (with every: days of dosing)
---@field doses? integer number of doses
---@field at? (string|number)[] the dose times
---@field duration? string|number the length of the run
---@field step? string|number the sampling step
---@field fat? boolean taken with a meal that contains fat (default true)
---@field ka? number absorption rate, 1/h, replacing the set's
---@field ke? number elimination rate, 1/h
---@field F? number bioavailable fraction
---@field V? number volume of distribution, L (gives ng/mL)
---@field lag? number lag time, h
---@field label? string the curve's name in plots
---@field unit? "ng/mL"|"nmol/L"

---@class k2.population_opts: k2.simulate_opts
---@field n? integer virtual subjects (default 1000)
---@field cv {ka?: number, ke?: number, V?: number} coefficients of variation (0.3 is 30 %)
---@field seed? integer
---@field bands? boolean

---@class k2.params: k2.result
---@field form string
---@field set string
---@field about string
---@field ka number 1/h
---@field ke number 1/h
---@field F number
---@field V number L (0: relative units)
---@field lag number h
---@field tmax_h number
---@field half_life_h number
---@field fat? number the absorption factor of a meal with fat
---@field mol_weight? number
---@field unit string
---@field sources string[] fact ids
---@field conflicts string[] disagreement ids

---@class k2.curve: k2.result
---@field form string
---@field set string
---@field unit string ng/mL, nmol/L, or relative (1 = peak of the set's reference dose taken with fat, e.g. 1 mg MK-7)
---@field label string
---@field dose_ug number
---@field every_h? number
---@field doses integer
---@field params k2.params the parameters as the curve uses them
---@field notes string[]
---@field notice string
---@field cmax fun(self: k2.curve, from?: number|string, to?: number|string): number the highest level
---@field tmax fun(self: k2.curve, from?: number|string, to?: number|string): number hours at the highest level
---@field auc fun(self: k2.curve, from?: number|string, to?: number|string): number area under the curve (unit·h)
---@field at fun(self: k2.curve, t: number|string): number the level at hours (or text, "3d")
---@field trough fun(self: k2.curve): number the level before the last dose (or at the end, for one dose)
---@field above fun(self: k2.curve, level: number): number hours above a level
---@field count fun(self: k2.curve): integer samples
---@field step fun(self: k2.curve): number hours between samples
---@field t_end fun(self: k2.curve): number hours of the run
---@field points fun(self: k2.curve): fun(): number?, number? iterates (hours, level) with no table per point
---@field intervals fun(self: k2.curve): k2.intervals
---@field metrics fun(self: k2.curve): {cmax: number, tmax_h: number, auc: number, trough: number, t_end_h: number, step_h: number}
---@field metrics_text fun(self: k2.curve): string
---@field plot fun(self: k2.curve, o?: {width?: integer, height?: integer, ascii?: boolean, color?: boolean}): string
---@field svg fun(self: k2.curve, o?: {width?: integer, height?: integer}): string
---@field csv fun(self: k2.curve): string

---@class k2.interval
---@field start number h
---@field cmax number
---@field tmax number h
---@field trough number
---@field auc number

---@class k2.intervals: k2.result
---@field [integer] k2.interval

---@class k2.steady_state: k2.result
---@field form string
---@field set string
---@field unit string
---@field dose_ug number
---@field every_h number
---@field accumulation number
---@field peak number
---@field trough number
---@field average number
---@field tmax_h number
---@field auc_tau number
---@field peak_ratio number
---@field auc_ratio number
---@field t50_h number
---@field t90_h number
---@field sources string[]
---@field conflicts string[]
---@field notes string[]
---@field notice string

---@class k2.comparison: k2.result
---@field curves k2.curve[]
---@field t_end number hours, the longest run
---@field notice string
---@field plot fun(self: k2.comparison, o?: {width?: integer, height?: integer, ascii?: boolean, color?: boolean}): string
---@field metrics_text fun(self: k2.comparison): string

---@class k2.population: k2.result
---@field form string
---@field unit string
---@field n integer subjects
---@field t_end number hours
---@field cv {ka: number, ke: number, V: number}
---@field mean_cmax number
---@field mean_auc number
---@field dose_ug number
---@field every_h? number
---@field notes string[]
---@field notice string
---@field band fun(self: k2.population, i: integer): number, number, number 5th, 50th, 95th percentile at sample i
---@field sample fun(self: k2.population, n: integer): number[], number[], number[] the three bands at n times
---@field plot fun(self: k2.population, o?: {width?: integer, height?: integer, ascii?: boolean, color?: boolean}): string
---@field title fun(self: k2.population): string
---@field metrics_text fun(self: k2.population): string

-- issue 14: food (lua/k2/food.lua)

---@class k2.food_item
---@field id string USDA NDB number, five digits ("11457")
---@field name string USDA's description
---@field k1_per_100g? number µg phylloquinone per 100 g; nil = not measured
---@field deprecated? boolean listed as deprecated by the package

---@class k2.food_list: k2.result
---@field [integer] k2.food_item

---@class k2.food_measure
---@field name string "1 cup", "0.75 cup"
---@field unit string USDA's measure name ("cup", "slice (1 oz)")
---@field amount number
---@field grams number

---@class k2.food_form
---@field form string "MK-7", or "K1" / "K" (a total) in `other`
---@field per_100g? number µg per 100 g
---@field fact string the fact's id
---@field source k2.source
---@field evidence string

---@class k2.food: k2.result, k2.food_item
---@field measures k2.food_measure[]
---@field menaquinones k2.food_form[]
---@field other k2.food_form[] other K1 figures and totals over all forms
---@field conflicts {id: string, summary: string}[]
---@field source k2.source USDA SR24

---@class k2.intake_item
---@field text string
---@field food_id? string
---@field name string
---@field grams? number
---@field forms table<string, number> µg per form
---@field notes string[]

---@class k2.intake: k2.result
---@field forms table<string, number> µg per form ("K1", "MK-7")
---@field total number µg
---@field items k2.intake_item[]
---@field adequate? {value: number, unit: string, form: string, population: string, fact: string, source: string}[]
---@field sources string[] ids of every source and fact used
---@field notice string
