--- A third question set for k2.ask (issue 13), written on 4 Dec 2026 by someone who had not read the
--- reader's phrasing (data/ask.rec) nor the other sets, and never used to change data/. Same layout as
--- tests/ask/questions.lua (question, kind, key); scored by `lua5.4 tests/ask/score.lua [-v] tests/ask/fresh2.lua`.
--- The keys were taken from the data (data/facts/*.rec, data/advice.rec, data/food/) and from the
--- dedicated calls (k2.dose, k2.timing, k2.check, k2.pk.*, k2.foods, k2.food, k2.intake), never from k2.ask.
--- A question marked "not in the data" has a right answer that the data does not hold: it fails honestly.

return {
  -- dose (8)
  { "how much k2 shoud my 7 year old get a day", "dose", { low = 55 } },           -- ai.us.4-8y
  { "daily vitamin k for a 65 yr old woman", "dose", { low = 90 } },               -- ai.us.19plus-female
  { "how much vitmin k does a grown man need", "dose", "ai.us.19plus-male" },
  { "im 28 and pregnant how much vit k per day", "dose", { low = 90 } },           -- ai.us.pregnancy.19-50y
  { "recomended vitamin k intake when breastfeeding", "dose", "ai.us.lactation.19-50y" },
  { "how many mcg of mk7 for bone health", "dose", { low = 75 } },                 -- seed.k2.osteocalcin-adequate
  { "mk-4 dosege for osteoporosis", "dose", "dose.mk4.osteoporosis.l5" },
  { "does my newborn need a vitamin k shot how much", "dose", "dose.k1.newborn-prophylaxis.aap22" },

  -- timing (5)
  { "should i take my k2 with breakfast or on an empty stomach", "timing", { with_food = true } },
  { "can i take mk7 at night before bed", "timing", { time_of_day = "any" } },
  { "best time to take vitamin k1 tablets", "timing", "seed.k.supplement-timing-with-fat" },
  { "when to take menatetrenone morning or evening", "timing", { time_of_day = "any" } },
  { "do i need to eat something fatty with my vit k suplement", "timing", { with_food = true } },

  -- check (8)
  { "im on warfarin can i take 100mcg of k2", "check", { level = "warning" } },
  { "is mk4 ok with coumadin", "check", { level = "avoid" } },                      -- safety.mk4.warfarin-contraindicated
  { "taking eliquis is vitamin k2 safe", "check", "ix.doac.vitamin-k-unstudied.ka17" },
  { "xarelto plus 200 mcg mk7 ok together", "check", { level = "caution" } },
  { "is 45mg of k2 a day too much", "check", { level = "ok" } },                    -- seed.k2.safe-45mg
  { "is vitamin k3 safe to take", "check", { level = "avoid" } },                   -- FormRule menadione
  { "my 10 yo wants 100mcg mk7 gummies is that safe", "check", "seed.k2.label-under-18" },
  { "i take lipitor for cholesterol is k2 ok", "check", "ix.statins" },             -- not in the data: no fact on statins

  -- pk (5)
  { "how long does mk7 stay in my body", "pk", { half_life_h = 68 } },             -- pk.mk7.half-life.m3, default set
  { "does mk7 build up if i take 100mcg every day", "pk", { accumulation = 4.608 } }, -- model.mk7.accumulation.68h
  { "how quick is mk4 cleared from the blood", "pk", { half_life_h = 1.682 } },    -- model.mk4.half-life.l6-1p68h
  { "when does k1 peak in the blood after a 1mg pill", "pk", { tmax_h = 4 } },      -- pk.k1.tmax.s07b
  { "how many days till mk 7 levels are steady taking it daily", "pk", { t90_h = 226.7 } }, -- model.mk7.t90.68h

  -- food (4)
  { "how much vitamin k in brocolli", "food", { k1_per_100g = 101.6 } },           -- USDA 11090, raw
  { "is natto high in k2", "food", "food.natto.mk7.kamao" },
  { "vit k in 2 cups raw spinach", "food", { total = 289.74 } },                   -- 2 x 30 g x 482.9 µg/100 g
  { "how much k2 in gouda cheese", "food", { per_100g = true } },                  -- not in the data: no menaquinone figure for gouda

  -- search (10)
  { "what does vitamin k2 actually do", "search", "seed.k2.calcium-to-bone" },
  { "what does vitamin k1 do", "search", "seed.k.clotting-role" },
  { "whats vitamin k3", "search", "seed.k3.no-human-use" },
  { "what is mk4 used for in japan", "search", "dose.mk4.osteoporosis.l5" },
  { "is mk7 absorbed better than k1", "search", "pk.mk7.relative-absorption.m2" },
  { "does k2 lower the risk of dying from heart disease", "search", "seed.rotterdam.chd-mortality" },
  { "why do people take k2 with d3", "search", "seed.k2.vitamin-d3-pairing" },
  { "is vitamin k2 good for type 2 diabetes", "search", "seed.k2.diabetes-review" },
  { "can k2 clear calcium out of your arteries", "search", "seed.rat.regression" },
  { "do antibiotics lower your vitamin k", "search", "ix.antibiotics.gut-bacteria" },
}
