" Vim compiler file for Onshore: `:compiler onshore`, then `:make` checks the
" current file with `onshore check` and fills the quickfix list.  Columns are
" display columns (a tab to the next multiple of 8), which %v reads.
if exists("current_compiler")
  finish
endif
let current_compiler = "onshore"
if exists(":CompilerSet") != 2
  command -nargs=* CompilerSet setlocal <args>
endif
CompilerSet makeprg=onshore\ check\ %:S
CompilerSet errorformat=%f:%l:%v:\ %trror:\ %m,%f:%l:%v:\ %tarning:\ %m,%f:%l:%v:\ %tote:\ %m,%-G%.%#
