" ftplugin/k2.vim — buffers of k2's answers (ft=k2): text laid out by k2 at
" the window's width, read-only; q closes the float (set by k2.nvim).
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

setlocal nospell nolist nonumber norelativenumber signcolumn=no foldcolumn=0 textwidth=0
let b:undo_ftplugin = 'setlocal spell< list< number< relativenumber< signcolumn< foldcolumn< textwidth<'
