--- The question set of k2.ask (issue 13): phrasings as people write them —
--- lower case, misspelt, without question marks, units with and without a
--- space — each with the kind of answer it should get and the key it must
--- hold: a fact id (for a search: among the facts; for other kinds: anywhere
--- in the answer's to_table()), or {field = value} (a figure or level in the
--- answer's to_table()). tests/ask/score.lua scores them. Written from what
--- people ask, not from the data: a question the data cannot answer yet stays
--- here and fails.
--- Seed passages: the `seed` number says which passage (1-26) a question covers.

return {
  -- seed 1: warfarin-calcified rats, high K diet
  { "can a high vitamin k diet reverse artery calcification in rats", "search", "seed.rat.regression", seed = 1 },
  { "did vitamin k undo calcified arteries in animal studies", "search", "seed.rat.regression", seed = 1 },
  { "how long did it take for the calcification to regress in the rats", "search", "seed.rat.regression-duration", seed = 1 },
  -- seed 2: atherosclerosis progression
  { "does k2 slow down atherosclerosis", "search", "seed.k2.atherosclerosis-progression", seed = 2 },
  { "can vitamin k2 stop hardening of the arteries from getting worse", "search", "seed.k2.atherosclerosis-progression", seed = 2 },
  -- seed 3: osteocalcin
  { "how much k2 do i need to activate osteocalcin", "dose", "seed.k2.osteocalcin-adequate", seed = 3 },
  { "would 375 mcg of k2 activate osteocalcin better", "search", "seed.k2.osteocalcin-375", seed = 3 },
  { "k2 dose for bones", "dose", { low = 75 }, seed = 3 },
  -- seed 4: K1 onset and full effect on clotting
  { "how fast does phytonadione work", "search", "seed.k1.onset", seed = 4 },
  { "when does vitamin k1 start working on clotting", "search", "seed.k1.onset", seed = 4 },
  { "how long till phytonadione kicks in", "search", "seed.k1.onset", seed = 4 },
  { "when is the full effect of vitamin k1 reached", "search", "seed.k1.peak-effect", seed = 4 },
  -- seed 5: arterial stiffness, diabetes and heart disease
  { "does vitamin k2 help stiff arteries", "search", "seed.k2.arterial-stiffness-calcification", seed = 5 },
  { "k2 arterial stiffness", "search", "seed.k2.arterial-stiffness-calcification", seed = 5 },
  { "does more k2 lower the risk of diabetes and heart disease", "search", "seed.k2.diabetes-cad-mortality", seed = 5 },
  -- seed 6: clotting role
  { "what does vitamin k do in the body", "search", "seed.k.clotting-role", seed = 6 },
  { "why do we need vitamin k for bleeding", "search", "seed.k.clotting-role", seed = 6 },
  { "what is vitamin k for", "search", "seed.k.clotting-role", seed = 6 },
  -- seed 7: arterial calcification, MGP
  { "what is matrix gla protein", "search", "seed.k2.mgp-activation", seed = 7 },
  { "how does k2 protect blood vessels", "search", "seed.k2.mgp-activation", seed = 7 },
  { "is k2 linked to less calcification in arteries", "search", "seed.k2.arterial-calcification-association", seed = 7 },
  -- seed 8: K2 timing with fat
  { "when should i take k2", "timing", "seed.k2.timing-with-fat", seed = 8 },
  { "best time to take vitamin k2", "timing", "seed.k2.timing-with-fat", seed = 8 },
  { "should i take my k2 with food", "timing", { with_food = true }, seed = 8 },
  { "k2 morning or night", "timing", { time_of_day = "any" }, seed = 8 },
  -- seed 9: daily amounts
  { "how much k2 should an adult take daily", "dose", "seed.k2.adult-daily", seed = 9 },
  { "how much vitamin k2 per day", "dose", "seed.k2.adult-daily", seed = 9 },
  { "how much K2 should my 10-year-old take?", "dose", "seed.k2.children-under-12", seed = 9 },
  { "k2 dose for my 7 yo", "dose", { low = 45 }, seed = 9 },
  { "do people with certain illnesses need more k2", "search", "seed.k2.medical-conditions-more", seed = 9 },
  -- seed 10: supplements with a fatty meal
  { "what time of day should i take a vitamin k supplement", "timing", "seed.k.supplement-timing-with-fat", seed = 10 },
  { "can i take vitamin k on an empty stomach", "timing", { with_food = true }, seed = 10 },
  -- seed 11: lifestyle and plaque
  { "how can i reduce plaque in my arteries without medication", "search", "seed.lifestyle.plaque", seed = 11 },
  { "what lifestyle changes help unclog arteries", "search", "seed.lifestyle.plaque", seed = 11 },
  -- seed 12: MK-4 and MK-7 in the blood
  { "when does mk-7 peak", "pk", { tmax_h = 4 }, seed = 12 },
  { "when does MK7 peak in the blood", "pk", { tmax_h = 4 }, seed = 12 },
  { "how long for mk4 to reach its peak", "pk", { tmax_h = 3.7 }, seed = 12 }, -- the default MK-4 set: the label fit (issue 12),
  { "is mk7 absorbed well", "search", "seed.k2.absorption-complete", seed = 12 },
  { "does mk-4 build up in the blood", "search", "seed.mk4.quick-clearance", seed = 12 },
  { "how long does mk7 stay in the body", "pk", { half_life_h = 68 }, seed = 12 },
  { "does mk 7 accumulate", "search", "seed.mk7.persistence", seed = 12 },
  -- seed 13: calcium to bone
  { "does k2 move calcium into bones", "search", "seed.k2.calcium-to-bone", seed = 13 },
  { "does vitamin k2 keep calcium out of the arteries", "search", "seed.k2.calcium-to-bone", seed = 13 },
  { "is k2 good for blood flow", "search", "seed.k2.arterial-flexibility", seed = 13 },
  -- seed 14: heart heading
  { "what does k2 do for the heart", "search", "seed.k2.heart-health-heading", seed = 14 },
  -- seed 15: Rotterdam
  { "rotterdam study k2 heart disease deaths", "search", "seed.rotterdam.chd-mortality", seed = 15 },
  { "did people eating more menaquinone die less of heart disease", "search", "seed.rotterdam.chd-mortality", seed = 15 },
  { "how much k2 was linked to lower heart risk in the rotterdam study", "search", "seed.rotterdam.intake-25", seed = 15 },
  -- seed 16: top intake profile
  { "what else did the top k2 group eat in rotterdam", "search", "seed.rotterdam.top-intake-profile", seed = 16 },
  -- seed 17: magnesium
  { "can magnesium prevent plaque", "search", "seed.magnesium.plaque-in-vitro", seed = 17 },
  { "magnesium plaque animal studies", "search", "seed.magnesium.plaque-animal", seed = 17 },
  -- seed 18: toxicity, K3
  { "is vitamin k toxic", "search", "seed.k.toxicity-rare", seed = 18 },
  { "can you overdose on vitamin k", "search", "seed.k.toxicity-rare", seed = 18 },
  { "is menadione used in people", "search", "seed.k3.no-human-use", seed = 18 },
  { "why is k3 toxic", "search", "seed.k3.water-soluble-toxicity", seed = 18 },
  { "what does menadione toxicity look like in babies", "search", "seed.k3.infant-toxicity", seed = 18 },
  { "is vitamin k3 safe", "check", { level = "avoid" }, seed = 18 },
  -- seed 19: oral safety
  { "is it safe to take vitamin k by mouth", "search", "seed.k.oral-likely-safe", seed = 19 },
  { "is 10mg of k1 a day safe", "check", { level = "ok" }, seed = 19 },
  { "is 45 mg k2 daily safe", "check", { level = "ok" }, seed = 19 },
  { "how long has high dose k2 been used safely", "search", "seed.k.safe-use-duration", seed = 19 },
  -- seed 20: who should avoid it
  { "who should not take vitamin k2", "search", "seed.k2.contraindications-heading", seed = 20 },
  -- seed 21: leaflet warnings
  { "im allergic to vitamins can i take k2", "check", { level = "avoid" }, seed = 21 },
  { "can my 16 year old take k2", "check", "seed.k2.label-under-18", seed = 21 },
  { "k2 for teenagers under 18", "search", "seed.k2.label-under-18", seed = 21 },
  -- seed 22: absorption, fat-soluble
  { "is k2 absorbed better than k1", "search", "seed.k2.absorption-vs-k1", seed = 22 },
  { "is vitamin k fat soluble", "search", "seed.k.fat-soluble", seed = 22 },
  { "does vitamin k need fat to be absorbed", "search", "seed.k.fat-soluble", seed = 22 },
  -- seed 23: mitochondria
  { "does vitamin k2 help mitochondria", "search", "seed.k2.mitochondria", seed = 23 },
  { "can k2 give me more energy", "search", "seed.k2.mitochondria", seed = 23 },
  -- seed 24: D3
  { "should i take k2 with d3", "search", "seed.k2.vitamin-d3-pairing", seed = 24 },
  { "why take vitamin d3 and k2 together", "search", "seed.k2.vitamin-d3-pairing", seed = 24 },
  -- seed 25: skin
  { "can k2 help wrinkles", "search", "seed.k2.skin-elastin", seed = 25 },
  { "what does vitamin k2 do for skin", "search", "seed.k2.skin-elastin", seed = 25 },
  { "k2 skin aging elastin", "search", "seed.k2.skin-elastin", seed = 25 },
  -- seed 26: diabetes, cirrhosis
  { "is k2 used for type 2 diabetes", "search", "seed.k2.diabetes-review", seed = 26 },
  { "k2 for liver cirrhosis", "search", "seed.k2.liver-cirrhosis", seed = 26 },

  -- dose by age, sex and situation
  { "how much vitamin k does a woman need", "dose", { low = 90 } },
  { "how much vitamin k for men", "dose", { low = 120 } },
  { "how much vitamin k should a 40 year old man get", "dose", { low = 120 } },
  { "vitamin k for a 30 yo female", "dose", { low = 90 } },
  { "I'm 65 how much vitamin k do i need", "dose", "ai.us.19plus-female" },
  { "recommended vitamin k intake for an 8 month old", "dose", { low = 2.5 } },
  { "how much vitamin k for a 3 month old baby", "dose", { low = 2 } },
  { "vitamin k dose for a 2 year old", "dose", { low = 30 } },
  { "how much vitamin k does my 5 year old need", "dose", { low = 55 } },
  { "daily vitamin k for a 12 year old", "dose", { low = 60 } },
  { "how much vit k for a 15 year old girl", "dose", { low = 75 } },
  { "how much vitamin k when pregnant", "dose", "ai.us.pregnancy.19-50y" },
  { "im pregnant how much vitamin k should i have", "dose", "ai.us.pregnancy.19-50y" },
  { "how much vitamin k while breastfeeding", "dose", "ai.us.lactation.19-50y" },
  { "vitamin k intake for a 17 year old who is pregnant", "dose", "ai.us.pregnancy.14-18y" },
  { "rda vitamin k adults", "dose", { low = 90 } },
  { "how much mk7 should i take", "dose", "seed.k2.adult-daily" },
  { "mk-7 dosage", "dose", "seed.k2.adult-daily" },
  { "how many mcg of mk7 a day", "dose", "seed.k2.adult-daily" },
  { "I'm 65 how much mk7", "dose", "seed.k2.adult-daily" },
  { "how much k2 for a 50 year old woman", "dose", "seed.k2.adult-daily" },
  { "how much menatetrenone for osteoporosis", "dose", "dose.mk4.osteoporosis.l5" },
  { "mk4 dose for osteoporosis", "dose", "dose.mk4.osteoporosis.l5" },
  { "how much k2 for heart health", "dose", "seed.k2.adult-daily" },
  { "how much k2 for my kid", "dose", "seed.k2.adult-daily" },
  { "what is the efsa adequate intake of vitamin k for adults", "search", "ai.efsa.adults" },
  { "is there an upper limit for vitamin k", "search", "ul.us.none" },
  -- a newborn is age 0 (data/ask.rec AgeWord): the dose answer for that age holds what is given at birth
  { "how much vitamin k do newborns get at birth", "dose", "dose.k1.newborn-prophylaxis.aap22" },
  { "newborn vitamin k shot dose", "dose", "dose.k1.newborn-prophylaxis.aap22" },
  { "vitamin k injection for preemies", "dose", "dose.k1.preterm-prophylaxis.aap22" },
  { "how much vitamin k to reverse warfarin when inr is 6", "search", "clot.k1.dose-inr5to9.an08" },
  { "vitamin k dose for an inr over 9", "search", "clot.k1.dose-inr9plus.an08" },
  { "what dose is in a mephyton tablet", "search", "dose.k1.tablet.l1" },

  -- timing
  { "when to take mk7", "timing", { with_food = true } },
  { "should i take vitamin k with a meal", "timing", { with_food = true } },
  { "whats the best time of day for mk-4", "timing", { time_of_day = "any" } },
  { "do i take k2 at night or in the morning", "timing", { time_of_day = "any" } },
  { "should i take k2 with breakfast", "timing", { with_food = true } },
  { "take vitamin k1 with fatty food", "timing", { with_food = true } },
  { "when should the newborn vitamin k injection be given", "search", "dose.k1.newborn-prophylaxis.aap22.timing" },

  -- safety with medicines and conditions
  { "I'm on warfarin, can I take MK-7?", "check", { level = "warning" } },
  { "can i take k2 with warfarin", "check", { level = "warning" } },
  { "is it safe to take vitamin k with coumadin", "check", { level = "warning" } },
  { "im on eliquis can i take k2", "check", { level = "caution" } },
  { "k2 and apixaban interaction", "check", { level = "caution" } },
  { "can i take mk-4 with warfarin", "check", { level = "avoid" } },
  { "menatetrenone with warfarin safe?", "check", { level = "avoid" } },
  { "is mk7 ok with acenocoumarol", "check", { level = "warning" } },
  { "can i take 180 mcg mk7 while on warfarin", "check", { level = "warning" } },
  { "does vitamin k interfere with blood thinners", "search", "ix.warfarin.steady-intake" },
  { "can i eat vitamin k foods on warfarin", "search", "ix.warfarin.steady-intake" },
  { "does 100 mcg of k1 affect my inr", "search", "ix.warfarin.k1-100.s04" },
  { "how little mk7 can change inr", "search", "ix.warfarin.mk7-10.th13" },
  { "does rivaroxaban interact with vitamin k", "check", { level = "caution" } },
  { "is vitamin k dangerous with xarelto", "check", { level = "caution" } },
  { "does orlistat affect vitamin k", "search", "ix.orlistat" },
  { "can antibiotics lower vitamin k", "search", "ix.antibiotics.cephalosporins" },
  { "does mineral oil block vitamin k absorption", "search", "ix.mineral-oil" },
  { "is k2 safe for kids", "check", { level = "caution" } },
  { "is vitamin k2 safe during pregnancy", "check", { level = "ok" } },
  { "can i give my 10 year old k2", "check", { level = "caution" } },
  { "is phytonadione injection dangerous", "search", "safety.k1.injection.boxed-warning" },
  { "can a vitamin k shot cause an allergic reaction", "search", "safety.k1.injection.boxed-warning" },
  { "can too much k1 be harmful", "search", "safety.k1.oral-not-toxic" },
  { "does vitamin k counteract heparin", "search", "clot.k1.heparin.l1" },

  -- pharmacokinetics
  { "half life of mk7", "pk", { half_life_h = 68 } },
  { "what is the half-life of mk-4", "pk", { half_life_h = 1.68 } },
  { "k1 half life", "pk", { half_life_h = 1.5 } },
  { "when does vitamin k1 peak after a dose", "pk", { tmax_h = 4 } },
  { "if i take 180ug mk7 daily what is my blood level", "pk", { accumulation = true } },
  { "mk7 100 mcg every day steady state", "pk", { accumulation = true } },
  { "does 45 mg mk4 twice a day build up", "pk", { accumulation = true } },
  { "mk-7 blood levels after 90 mcg a day", "pk", { accumulation = true } },
  { "how long does mk-7 last in my blood", "pk", { half_life_h = 68 } },
  { "how much mk7 gets absorbed compared to k1", "search", "pk.mk7.relative-absorption.m2" },
  { "how much of a k1 dose is absorbed", "search", "pk.k1.absorption.jo07" },
  { "does butter help absorb vitamin k from spinach", "search", "pk.k1.butter-effect.gi96" },
  { "does a fatty breakfast increase mk4 absorption", "search", "pk.mk4.fat-effect.ue96" },
  { "how long does k1 from kale take to peak", "search", "pk.k1.tmax.no10" },

  -- what is / what does
  { "what is phylloquinone", "search", "chem.mw.k1" },
  { "molecular weight of mk-7", "search", "chem.mw.mk7" },
  { "what is the molecular weight of menaquinone-4", "search", "chem.mw.mk4" },
  { "convert mk7 ng/ml to nmol/l", "search", "chem.convert.mk7.ngml-to-nmoll" },
  { "what does warfarin do to clotting factors", "search", "clot.warfarin.factor-reduction.l8" },
  { "how long does warfarin take to work", "search", "clot.warfarin.onset.l8" },
  { "half life of factor vii", "search", "clot.factor-vii.half-life.l8" },
  { "what is the half-life of prothrombin", "search", "clot.factor-ii.half-life.l8" },
  { "what are direct oral anticoagulants", "search", "ix.doac.mechanism.gr21" },
  { "what did the knapen 2015 trial find", "search", "dose.mk7.knapen2015" },
  { "theuwissen dose finding trial mk7", "search", "dose.mk7.dose-finding.th12" },
  { "what does vitamin k2 do", "search", "seed.k2.calcium-to-bone" },
  { "what is menaquinone 7 made from", "search", "seed.mk7.tmax" },
  { "explain how vitamin k helps blood clot", "search", "seed.k.clotting-role" },
  { "benefits of vitamin k2", "search", "seed.k2.calcium-to-bone" },
  { "what is k3", "search", "seed.k3.no-human-use" },
  { "whats the differnce between mk4 and mk7", "search", "seed.mk4.quick-clearance" },
  { "does vitamin k help osteoporosis", "search", "dose.mk4.osteoporosis.l5" },
}
