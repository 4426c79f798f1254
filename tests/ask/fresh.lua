--- A second question set for k2.ask (issue 13), written after the data
--- changes of the first set were made and never used to change data/: it
--- tells how well the reader does on phrasings it was not shaped on. Same
--- layout as tests/ask/questions.lua (question, kind, key); scored by
--- `lua5.4 tests/ask/score.lua [-v] tests/ask/fresh.lua`. Typing as people
--- type: lower case, misspellings, no question marks, units glued or spaced.

return {
  -- dose
  { "how much vitamine k2 shoud i take a day", "dose", "seed.k2.adult-daily" },
  { "mk7 dose for a 45yo woman", "dose", "ai.us.19plus-female" },
  { "whats the right amount of vit k for my 4 year old", "dose", { low = 55 } },
  { "how much k for a 6 month old", "dose", { low = 2 } },
  { "daily vitamin k for a 70 year old man", "dose", { low = 120 } },
  { "k2 dosage while breast feeding", "dose", "ai.us.lactation.19-50y" },
  { "how many micrograms of k2 per day", "dose", "seed.k2.adult-daily" },
  { "menaquinone 4 dose osteoporosis japan", "dose", "dose.mk4.osteoporosis.l5" },
  -- timing
  { "best time of day to take mk 7", "timing", { time_of_day = "any" } },
  { "do i need to take k2 with a meal", "timing", { with_food = true } },
  { "k1 before or after food", "timing", { with_food = true } },
  -- safety
  { "im on coumadin is k2 ok", "check", { level = "warning" } },
  { "can i take 100mcg mk7 on warfarin", "check", { level = "warning" } },
  { "is k2 ok with xarelto", "check", { level = "caution" } },
  { "mk4 and warfarin", "check", { level = "avoid" } },
  { "is 45mg of menatetrenone too much", "check", { level = "ok" } },
  { "is menadione dangerous", "check", { level = "avoid" } },
  { "can i take k2 if im allergic to multivitamins", "check", { level = "avoid" } },
  { "is vitamin k safe when pregnant", "check", { level = "ok" } },
  { "does vitamin k mess with blood thinners", "search", "ix.warfarin.steady-intake" },
  -- pk
  { "how long is the half life of menaquinone-7", "pk", { half_life_h = 68 } },
  { "when does k1 peak in blood", "pk", { tmax_h = true } },
  { "mk4 peak time", "pk", { tmax_h = 3.7 } },
  { "how long does mk-7 last in the body", "pk", { half_life_h = 68 } },
  -- what is / what does
  { "what is mgp", "search", "seed.k2.mgp-activation" },
  { "does k2 help with osteoporosis", "search", "seed.k2.calcium-to-bone" },
  { "vitamin k2 and arteries", "search", "seed.k2.arterial-calcification-association" },
  { "is k2 good for the skin", "search", "seed.k2.skin-elastin" },
  { "why take d3 with k2", "search", "seed.k2.vitamin-d3-pairing" },
  { "does vitamin k help the liver", "search", "seed.k2.liver-cirrhosis" },
  { "why is menadione not used anymore", "search", "seed.k3.no-human-use" },
  { "what did the rotterdam study find", "search", "seed.rotterdam.chd-mortality" },
  { "is there a max dose for vitamin k", "search", "ul.us.none" },
  { "do babies get a vitamin k shot", "search", "dose.k1.newborn-prophylaxis.aap22" },
  { "how quick does vitamin k1 work", "search", "seed.k1.onset" },
  { "does orlistat block vitamin k", "search", "ix.orlistat" },
}
