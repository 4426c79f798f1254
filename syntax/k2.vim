" syntax/k2.vim — k2's answers (ft=k2, the filetype of k2's floats): the
" safety levels, source and disagreement ids in brackets, fact ids, the
" sources line and the closing notice. Groups are the K2* ones plugin/k2.lua
" links by default, so a colourscheme may restyle them.
if exists('b:current_syntax')
  finish
endif

syntax case match
" levels: the headline word (AVOID, WARNING, CAUTION, OK) and a finding's first word
syntax match K2Avoid   /\<AVOID\>/
syntax match K2Warning /\<WARNING\>/
syntax match K2Caution /\<CAUTION\>/
syntax match K2Ok      /\<OK\>/
syntax match K2Avoid   /^\s\+\zsavoid\ze\s/
syntax match K2Warning /^\s\+\zswarning\ze\s/
syntax match K2Caution /^\s\+\zscaution\ze\s/
syntax match K2Ok      /^\s\+\zsok\ze\s/
syntax match K2Caution /^\s*\zs! sources disagree\ze/
" fact ids (seed.mk7.tmax, ix.warfarin.mk7-10.th13)
syntax match K2Id /\<[a-z][a-z0-9-]*\%(\.[a-z0-9][a-z0-9-]*\)\+\>/
" [S07b], [TH12], [mk7-warfarin-threshold]
syntax match K2Source /\[[A-Za-z][A-Za-z0-9-]*\]/
syntax match K2Source /^\s*sources:/
syntax match K2Caution /^Information, not medical advice\./

let b:current_syntax = 'k2'
