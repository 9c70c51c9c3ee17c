" Vim syntax file for Onshore (https://: the language of docs/reference.md)
" Install: make install (vimfiles), or copy syntax/ and ftdetect/ to ~/.vim/
if exists("b:current_syntax")
  finish
endif

syn keyword onshoreDeclaration stages stage class region group material facility lane demand policy scenario
syn keyword onshoreStatement   extends use run report explain import let fn return assert as
syn keyword onshoreConditional if then else
syn keyword onshoreRepeat      for in while
syn keyword onshoreOperator    and or not mod
syn keyword onshoreBoolean     true false
syn keyword onshoreConstant    nil
syn keyword onshoreRule        tariff credit ban require on from to until share of recycled top origin localization
syn keyword onshoreSeries      step linear at
syn keyword onshoreBuiltin     year
" contextual words (spec 9): keywords where their construct starts
syn match   onshoreDeclaration "^\s*\(param\|option\|plot\)\>"
syn match   onshoreStatement   "\<\(sweep\|quota\|feeds\|plan\|spread\|drivers\|record\|enforce\|choice\)\>\ze\s*[{:a-zA-Z_]"

syn match   onshoreComment  "#.*$" contains=onshoreTodo
syn keyword onshoreTodo     TODO FIXME XXX contained
syn region  onshoreString   start=+"+ skip=+\\\\\|\\"+ end=+"+ contains=onshoreEscape
syn match   onshoreEscape   +\\[\\"nrt]+ contained
" a number, with _ between digits, and the unit that follows it (40 kt/yr, 25%)
syn match   onshoreNumber   "\<\d[0-9_]*\(\.\d[0-9_]*\)\=\([eE][+-]\=\d\+\)\="
syn match   onshoreUnit     "\(\d\s*\)\@<=\(%\|[a-zA-Z$][a-zA-Z$]*\(/[a-zA-Z$]\+\)*\)"
syn match   onshoreArrow    "->\|<-"

hi def link onshoreDeclaration Structure
hi def link onshoreStatement   Statement
hi def link onshoreConditional Conditional
hi def link onshoreRepeat      Repeat
hi def link onshoreOperator    Operator
hi def link onshoreBoolean     Boolean
hi def link onshoreConstant    Constant
hi def link onshoreRule        Keyword
hi def link onshoreSeries      Function
hi def link onshoreBuiltin     Identifier
hi def link onshoreComment     Comment
hi def link onshoreTodo        Todo
hi def link onshoreString      String
hi def link onshoreEscape      SpecialChar
hi def link onshoreNumber      Number
hi def link onshoreUnit        Type
hi def link onshoreArrow       Operator

let b:current_syntax = "onshore"
