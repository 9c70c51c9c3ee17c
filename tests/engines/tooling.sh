#!/bin/sh
# The files that make onshore install like a Debian tool, checked by the
# programs that read them: the man page (groff -ww, mandoc -Tlint), shell
# completion (bash, zsh and fish parse and load it), editor support (Vim
# and Emacs load it and highlight a lesson, VS Code's JSON parses with the
# keys it needs), and make install / uninstall with DESTDIR and PREFIX.
# Usage: tests/engines/tooling.sh  (ONSHORE_BIN, ONSHORE_ROOT as for the suites)
set -eu
root=$(cd "${ONSHORE_ROOT:-.}" && pwd)
bin=${ONSHORE_BIN:-$root/onshore}
work=$(mktemp -d "${TMPDIR:-/tmp}/onshore-tooling-XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
fail() { echo "tooling: FAILED: $*" >&2; exit 1; }
cd "$root"

# ---- the man page ----
groff -ww -man -Tutf8 docs/onshore.1 > /dev/null 2> "$work/groff.err"
[ ! -s "$work/groff.err" ] || fail "groff warns: $(cat "$work/groff.err")"
mandoc -Tlint -W warning docs/onshore.1 || fail "mandoc -Tlint warns about docs/onshore.1"
MANWIDTH=80 man ./docs/onshore.1 2>/dev/null | grep -q -- "--shard K/N" || fail "man ./docs/onshore.1 shows no --shard"
# every option of --help is in the man page
for opt in $("$bin" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" docs/onshore.1 || fail "the man page lacks $opt"
done
echo "tooling: the man page passes groff -ww and mandoc -Tlint and lists every option"

# ---- shell completion ----
bash -n completions/onshore.bash || fail "bash cannot parse completions/onshore.bash"
out=$(bash -c '. completions/onshore.bash; COMP_WORDS=(onshore --for); COMP_CWORD=1; _onshore; echo "${COMPREPLY[*]}";
               COMP_WORDS=(onshore --format j); COMP_CWORD=2; _onshore; echo "${COMPREPLY[*]}"')
[ "$out" = "--format
json" ] || fail "bash completion: $out"
zsh -n completions/_onshore || fail "zsh cannot parse completions/_onshore"
fish -n completions/onshore.fish || fail "fish cannot parse completions/onshore.fish"
fish -c 'source completions/onshore.fish; complete -C"onshore --form"' | grep -q -- '--format' || fail "fish completion"
echo "tooling: bash, zsh and fish completion parse; bash and fish complete options"

# ---- editors ----
vim -Nu NONE -i NONE -es -c 'syntax on' -c 'set rtp^=editors/vim' -c 'runtime ftdetect/onshore.vim' \
    -c 'edit examples/us_2030.ons' -c 'if &filetype !=# "onshore" || b:current_syntax !=# "onshore" | cquit | endif' \
    -c 'call search("^scenario")' -c 'if synIDattr(synID(line("."), 1, 1), "name") !=# "onshoreDeclaration" | cquit | endif' \
    -c 'qa!' || fail "vim does not load editors/vim or highlight a scenario"
emacs --batch -Q -l editors/emacs/onshore-mode.el \
    --eval '(progn (find-file "examples/us_2030.ons") (font-lock-ensure)
              (unless (eq major-mode (quote onshore-mode)) (kill-emacs 1))
              (goto-char (point-min)) (search-forward "scenario announced")
              (unless (eq (get-text-property (match-beginning 0) (quote face)) (quote font-lock-keyword-face)) (kill-emacs 2)))' \
    2> "$work/emacs.err" || fail "emacs: $(cat "$work/emacs.err")"
py=/usr/bin/python3
[ -x "$py" ] || py=python3
"$py" - <<'PY' || fail "the VS Code extension"
import json, re
pkg = json.load(open("editors/vscode/package.json"))
grammar = json.load(open("editors/vscode/syntaxes/onshore.tmLanguage.json"))
json.load(open("editors/vscode/language-configuration.json"))
assert pkg["contributes"]["grammars"][0]["scopeName"] == grammar["scopeName"] == "source.onshore"
assert ".ons" in pkg["contributes"]["languages"][0]["extensions"]
def regexes(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("match", "begin", "end"): yield v
            else: yield from regexes(v)
    elif isinstance(node, list):
        for v in node: yield from regexes(v)
for rx in regexes(grammar):  # these patterns use no Oniguruma-only syntax
    re.compile(rx)
keyword = next(p for p in grammar["repository"]["keyword"]["patterns"] if p["name"] == "keyword.control.onshore")
assert re.search(keyword["match"], "plot compare a, b: localization")
PY
# `:compiler onshore` and `:make`: the quickfix list has the error at the
# display column (a tab to 8), the one %v reads
printf 'let x =\t1 kt + 1 GWh\n' > "$work/tab.ons"
vim -Nu NONE -i NONE -es -c 'set rtp^=editors/vim' -c "edit $work/tab.ons" -c 'compiler onshore' \
    -c "let &l:makeprg = '$bin check %:S'" -c 'silent make' \
    -c 'let q = getqflist()' \
    -c 'if len(q) < 1 || q[0].lnum != 1 || q[0].col != 16 || !q[0].vcol || q[0].type !=# "e" | cquit | endif' \
    -c 'qa!' > /dev/null 2>&1 || fail "vim's :compiler onshore does not put the error at line 1, display column 16"
echo "tooling: Vim and Emacs highlight a lesson; the VS Code grammar's JSON and patterns are sound; Vim's :make finds errors"

# ---- make install / uninstall ----
make -s install DESTDIR="$work/root" PREFIX=/usr > "$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "make install"; }
for f in usr/bin/onshore usr/share/man/man1/onshore.1 usr/share/bash-completion/completions/onshore \
         usr/share/zsh/vendor-completions/_onshore usr/share/fish/vendor_completions.d/onshore.fish \
         usr/share/vim/vimfiles/syntax/onshore.vim usr/share/vim/vimfiles/compiler/onshore.vim \
         usr/share/emacs/site-lisp/onshore-mode.el \
         usr/share/onshore/vscode/syntaxes/onshore.tmLanguage.json; do
    [ -f "$work/root/$f" ] || fail "make install did not install /$f"
done
"$work/root/usr/bin/onshore" -e 'print(40 kt / 2)' | grep -qx '20 kt' || fail "the installed binary does not run"
make -s uninstall DESTDIR="$work/root" PREFIX=/usr > "$work/uninstall.log" 2>&1 || fail "make uninstall"
left=$(find "$work/root" -type f | wc -l)
[ "$left" -eq 0 ] || fail "make uninstall left $(find "$work/root" -type f)"
echo "tooling: make install DESTDIR=... PREFIX=/usr installs every file and make uninstall removes them"
