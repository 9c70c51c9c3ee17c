# Onshore: build, test, run.
#
#   make run     builds ./onshore and runs the flagship example
#   make check   builds and runs every test
#
# Both install missing build dependencies first (mk/deps.sh: apt-get as root,
# otherwise the one command to run).  Variants of the same suite:
#   make asan    AddressSanitizer + UBSan      make stress  GC on every allocation
#   make switch  switch dispatch instead of computed goto
#   make valgrind  the whole suite under memcheck (binary runs and in-process suites)
#   make lint    cppcheck and clang-tidy (.clang-tidy), warnings are errors
#   make fuzz SECONDS=N   libFuzzer over compile + run    make fuzz-afl   an AFL++ build
#   make bench   benchmarks against Lua 5.4 and Python 3 (not part of check)
# Generated files live under build/ (or $(BUILD)) and are never committed.

BUILD   ?= build
BIN     ?= onshore
CC      ?= cc
OPT     ?= -O2
SAN     ?=
DEFS    ?=
WERROR  ?=

CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wundef \
            -Wwrite-strings -Werror=implicit-function-declaration
# flex and bison output is not written to our warning standard
GENWARN  := -Werror=implicit-function-declaration -Wall -Wno-unused-function -Wno-sign-compare -Wno-unused-parameter
ALLCFLAGS = $(CSTD) $(OPT) -g $(SAN) $(DEFS) $(CFLAGS) -MMD -MP
LDLIBS_  := -lm -ldl
EDIT_CFLAGS = $(shell pkg-config --cflags libedit)
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS   = $(shell pkg-config --libs check)
# COIN-OR Clp and Cbc solve plans (spec 12): plan.c and coin.c see their
# headers; the libraries are loaded with dlopen when a plan is solved
# (runtime/model/coin.h says why), so nothing links them
COIN_CFLAGS = $(patsubst -I%,-isystem %,$(shell pkg-config --cflags cbc clp))

GEN := $(BUILD)/gen
DEPS_OK := $(BUILD)/.deps-ok

# The layers, bottom up (docs/internals.md): core (values, VM, collector),
# model (entities, simulation, reports), lang (the compiler), cli (session,
# REPL, main).  Include paths make the order mechanical: each layer sees only
# the layers below it, and cli reaches the compiler only through lang/api/.
CORE_SRC    := $(wildcard runtime/core/*.c)
MODEL_SRC   := $(wildcard runtime/model/*.c)
LANG_SRC    := $(wildcard lang/*.c)
CLI_SRC     := $(filter-out runtime/cli/main.c,$(wildcard runtime/cli/*.c))
RUNTIME_SRC := $(CORE_SRC) $(MODEL_SRC) $(CLI_SRC)
TEST_SRC    := $(wildcard tests/*.c)
STDLIB_SRC  := $(sort $(wildcard stdlib/*.ons))

CORE_INC    := -Iruntime/core
MODEL_INC   := $(CORE_INC) -Iruntime/model
LANG_INC    := $(MODEL_INC) -Ilang -Ilang/api -I$(GEN)
CLI_INC     := $(MODEL_INC) -Ilang/api -Iruntime/cli
ALL_INC     := $(LANG_INC) -Iruntime/cli

LANG_OBJ    := $(LANG_SRC:%.c=$(BUILD)/%.o) $(GEN)/parser.o $(GEN)/parser_fast.o $(GEN)/lexer.o $(GEN)/stdlib_embed.o
RUNTIME_OBJ := $(RUNTIME_SRC:%.c=$(BUILD)/%.o) $(GEN)/repl_help_text.o $(GEN)/reference_text.o
MAIN_OBJ    := $(BUILD)/runtime/cli/main.o
TEST_OBJ    := $(TEST_SRC:%.c=$(BUILD)/%.o)
LIB         := $(BUILD)/libonshore.a
CHECK_BIN   := $(BUILD)/tests/check_all
ALL_OBJ     := $(LANG_OBJ) $(RUNTIME_OBJ) $(MAIN_OBJ) $(TEST_OBJ)

.PHONY: all run check test asan stress switch valgrind valgrind-inproc bench lint fuzz fuzz-afl clean deps check-deps docs-chart \
        install uninstall FORCE
.DEFAULT_GOAL := all

all: $(BIN)

deps: $(DEPS_OK)
$(DEPS_OK): mk/deps.sh
	@sh mk/deps.sh
	@mkdir -p $(@D) && touch $@

# --version names the commit when built from git: main.o is rebuilt when
# `git describe` changes (the stamp is rewritten only then)
GIT_DESC := $(shell git describe --always --dirty 2>/dev/null)
$(GEN)/git-describe: FORCE
	@mkdir -p $(@D)
	@echo '$(GIT_DESC)' | cmp -s - $@ || echo '$(GIT_DESC)' > $@
$(MAIN_OBJ): $(GEN)/git-describe
$(MAIN_OBJ): DEFS += -DONS_GIT_DESC='"$(GIT_DESC)"'

$(BIN): $(MAIN_OBJ) $(LIB)
	$(CC) $(OPT) -g $(SAN) -o $@ $(MAIN_OBJ) $(LIB) $(LDLIBS_)

$(LIB): $(LANG_OBJ) $(RUNTIME_OBJ)
	@rm -f $@
	ar rcs $@ $^

# a file that includes a header of a layer above its own fails to build
$(BUILD)/runtime/core/%.o: runtime/core/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(WARN) $(if $(WERROR),-Werror) $(CORE_INC) -c $< -o $@

$(BUILD)/runtime/model/%.o: runtime/model/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(WARN) $(if $(WERROR),-Werror) $(MODEL_INC) -c $< -o $@

$(BUILD)/runtime/cli/%.o: runtime/cli/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(WARN) $(if $(WERROR),-Werror) $(CLI_INC) -c $< -o $@

$(BUILD)/runtime/model/plan.o $(BUILD)/runtime/model/coin.o: $(BUILD)/runtime/model/%.o: runtime/model/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(WARN) $(if $(WERROR),-Werror) $(MODEL_INC) $(COIN_CFLAGS) -c $< -o $@

# only the REPL's objects see libedit (loaded with dlopen: edit_lib.h)
$(BUILD)/runtime/cli/repl%.o: runtime/cli/repl%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(WARN) $(if $(WERROR),-Werror) $(CLI_INC) $(EDIT_CFLAGS) -c $< -o $@
$(BUILD)/runtime/cli/edit_lib.o: CLI_INC += $(EDIT_CFLAGS)

$(BUILD)/lang/%.o: lang/%.c $(GEN)/parser.h $(GEN)/lexer.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(WARN) $(if $(WERROR),-Werror) $(LANG_INC) -c $< -o $@

$(GEN)/%.o: $(GEN)/%.c $(GEN)/parser.h $(GEN)/lexer.h
	$(CC) $(ALLCFLAGS) $(GENWARN) $(LANG_INC) -c $< -o $@

$(GEN)/parser.c $(GEN)/parser.h &: lang/parser.y lang/parse_errors.inc | $(DEPS_OK)
	@mkdir -p $(GEN)
	bison -Wall -Wcounterexamples -Werror --header=$(GEN)/parser.h -o $(GEN)/parser.c lang/parser.y

# The same grammar again with LALR tables: the fast parser for correct input
# (lang/parse.c); the exact one above parses again only to report errors.
$(GEN)/parser_fast.c: lang/parser.y lang/parse_errors.inc $(GEN)/parser.h | $(DEPS_OK)
	bison -Wall -Werror -Fapi.prefix={onsfast} -Flr.type=lalr -Flr.default-reduction=most \
	    -o $@ lang/parser.y

$(GEN)/lexer.c $(GEN)/lexer.h &: lang/lexer.l $(GEN)/parser.h | $(DEPS_OK)
	@mkdir -p $(GEN)
	flex --header-file=$(GEN)/lexer.h -o $(GEN)/lexer.c lang/lexer.l

# the standard library is compiled into the binary as C strings
$(BUILD)/tools/embed: tools/embed.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CSTD) -O1 -o $@ $<

$(GEN)/stdlib_embed.c: $(STDLIB_SRC) $(BUILD)/tools/embed
	@mkdir -p $(GEN)
	$(BUILD)/tools/embed $@ $(STDLIB_SRC)

# docs/repl.md is both the REPL's documentation and its :help text
$(BUILD)/tools/embed_text: tools/embed_text.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CSTD) -O1 -o $@ $<

$(GEN)/repl_help_text.c: docs/repl.md $(BUILD)/tools/embed_text
	@mkdir -p $(GEN)
	$(BUILD)/tools/embed_text $@ ons_repl_help_md docs/repl.md

# docs/reference.md answers :help about the language (:help read_csv)
$(GEN)/reference_text.c: docs/reference.md $(BUILD)/tools/embed_text
	@mkdir -p $(GEN)
	$(BUILD)/tools/embed_text $@ ons_reference_md docs/reference.md

$(BUILD)/tests/%.o: tests/%.c $(GEN)/parser.h $(GEN)/lexer.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(WARN) $(if $(WERROR),-Werror) $(ALL_INC) $(CHECK_CFLAGS) -c $< -o $@

$(CHECK_BIN): $(TEST_OBJ) $(LIB)
	$(CC) $(OPT) -g $(SAN) -o $@ $(TEST_OBJ) $(LIB) $(CHECK_LIBS) $(LDLIBS_)

# ENGINES=1: also run sweeps on real engines (a Slurm job array, GNU parallel,
# pandas reading the parts: tests/engines/distributed.sh) and check the files
# that install with onshore with the programs that read them (man, groff,
# mandoc, bash, zsh, fish, Vim, Emacs: tests/engines/tooling.sh) and the
# reports' files with what analysts open them with (Python's csv, pandas,
# sqlite3, csvkit, jq: tests/engines/consumers.sh); the
# sanitizer and dispatch variants leave them out, as they test the same again
ENGINES ?= 1
ENGINE_DEPS := $(if $(filter 1,$(ENGINES)),$(BUILD)/.engine-deps-ok)
check: $(BIN) $(CHECK_BIN) check-deps $(BUILD)/.test-deps-ok $(ENGINE_DEPS)
	ONSHORE_BIN=$(abspath $(BIN)) ONSHORE_ROOT=$(CURDIR) $(CHECK_BIN)
	$(if $(ENGINE_DEPS),ONSHORE_BIN=$(abspath $(BIN)) ONSHORE_ROOT=$(CURDIR) sh tests/engines/distributed.sh)
	$(if $(ENGINE_DEPS),ONSHORE_BIN=$(abspath $(BIN)) ONSHORE_ROOT=$(CURDIR) sh tests/engines/tooling.sh)
	$(if $(ENGINE_DEPS),ONSHORE_BIN=$(abspath $(BIN)) ONSHORE_ROOT=$(CURDIR) sh tests/engines/consumers.sh)

# the plots suite checks every SVG with xmllint and renders it with
# rsvg-convert; the reports suite renders Markdown with cmark-gfm and checks
# JSON against docs/report.schema.json with Python's jsonschema
$(BUILD)/.test-deps-ok: mk/deps.sh | $(DEPS_OK)
	@sh mk/deps.sh libxml2-utils librsvg2-bin cmark-gfm python3-jsonschema coinor-clp glpk-utils
	@touch $@

# for the engine tests only, not for make run
$(BUILD)/.engine-deps-ok: mk/deps.sh | $(DEPS_OK)
	@sh mk/deps.sh slurm-wlm munge parallel python3-pandas man-db groff-base mandoc zsh fish vim emacs-nox \
		sqlite3 csvkit jq
	@touch $@

test: check

run: $(BIN)
	./$(BIN) examples/us_2030.ons

# make install / uninstall, with PREFIX (default /usr/local) and DESTDIR:
# the binary, the man page, shell completion and editor support
PREFIX  ?= /usr/local
DESTDIR ?=
SHARE   := $(DESTDIR)$(PREFIX)/share
INSTALLED := $(DESTDIR)$(PREFIX)/bin/onshore $(SHARE)/man/man1/onshore.1 \
             $(SHARE)/bash-completion/completions/onshore $(SHARE)/zsh/vendor-completions/_onshore \
             $(SHARE)/fish/vendor_completions.d/onshore.fish \
             $(SHARE)/vim/vimfiles/syntax/onshore.vim $(SHARE)/vim/vimfiles/ftdetect/onshore.vim \
             $(SHARE)/vim/vimfiles/compiler/onshore.vim \
             $(SHARE)/emacs/site-lisp/onshore-mode.el \
             $(SHARE)/onshore/vscode/package.json $(SHARE)/onshore/vscode/language-configuration.json \
             $(SHARE)/onshore/vscode/syntaxes/onshore.tmLanguage.json
install: $(BIN)
	install -Dm755 $(BIN) $(DESTDIR)$(PREFIX)/bin/onshore
	install -Dm644 docs/onshore.1 $(SHARE)/man/man1/onshore.1
	install -Dm644 completions/onshore.bash $(SHARE)/bash-completion/completions/onshore
	install -Dm644 completions/_onshore $(SHARE)/zsh/vendor-completions/_onshore
	install -Dm644 completions/onshore.fish $(SHARE)/fish/vendor_completions.d/onshore.fish
	install -Dm644 editors/vim/syntax/onshore.vim $(SHARE)/vim/vimfiles/syntax/onshore.vim
	install -Dm644 editors/vim/ftdetect/onshore.vim $(SHARE)/vim/vimfiles/ftdetect/onshore.vim
	install -Dm644 editors/vim/compiler/onshore.vim $(SHARE)/vim/vimfiles/compiler/onshore.vim
	install -Dm644 editors/emacs/onshore-mode.el $(SHARE)/emacs/site-lisp/onshore-mode.el
	install -Dm644 editors/vscode/package.json $(SHARE)/onshore/vscode/package.json
	install -Dm644 editors/vscode/language-configuration.json $(SHARE)/onshore/vscode/language-configuration.json
	install -Dm644 editors/vscode/syntaxes/onshore.tmLanguage.json $(SHARE)/onshore/vscode/syntaxes/onshore.tmLanguage.json

uninstall:
	rm -f $(INSTALLED)
	-rmdir $(SHARE)/onshore/vscode/syntaxes $(SHARE)/onshore/vscode $(SHARE)/onshore 2>/dev/null

# the README's chart of the flagship (make check fails when it is not what
# the current binary draws: tests/test_plots.c)
docs-chart: $(BIN)
	./$(BIN) examples/us_2030.ons docs/us_2030_chart.ons -e 'chart("docs/us_2030.svg")' > /dev/null

asan:
	$(MAKE) ENGINES=0 BUILD=build/asan BIN=build/asan/onshore OPT=-O1 \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" check

# a collection at every allocation makes the long examples (a 400-sample
# sweep) take half a minute: the runs' limits stretch as under valgrind
stress:
	CK_TIMEOUT_MULTIPLIER=4 $(MAKE) ENGINES=0 BUILD=build/stress BIN=build/stress/onshore DEFS=-DONS_STRESS_GC check

switch:
	$(MAKE) ENGINES=0 BUILD=build/switch BIN=build/switch/onshore DEFS=-DONS_COMPUTED_GOTO=0 check

# memcheck on every run of the binary in the suites that run programs, and on
# the test runner for the suites that test C functions in-process; a leak or
# memory error is exit status 99 and fails the test that saw it
# (one target a suite, so make -j runs them side by side, the long script
# suites in shards: scripts.1 is the second of VALGRIND_SHARDS; each prints
# its log when it fails)
# (tests/suites.def says which suite runs which way)
VALGRIND_SHARDS ?= 3
suites_of = $(shell sed -n 's/^SUITE([a-z_]*, *\([a-z_]*\), *$(1)).*/\1/p' tests/suites.def)
VALGRIND_SUITES ?= $(foreach s,$(call suites_of,SHARDED),$(foreach k,$(shell seq 0 $$(($(VALGRIND_SHARDS) - 1))),$(s).$(k))) \
                   $(call suites_of,BINARY)
# the suites that test C functions in-process run with the test runner itself
# under memcheck (its forked tests inherit it)
VALGRIND_INPROC ?= $(call suites_of,INPROC)
valgrind: $(VALGRIND_SUITES:%=valgrind-%) valgrind-inproc
valgrind-inproc: $(BIN) $(CHECK_BIN) | $(BUILD)/.valgrind-deps-ok
	@for s in $(VALGRIND_INPROC); do \
	    CK_RUN_SUITE=$$s CK_TIMEOUT_MULTIPLIER=20 ONSHORE_BIN=$(abspath $(BIN)) ONSHORE_ROOT=$(CURDIR) \
	    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
	    --suppressions=$(CURDIR)/mk/valgrind.supp \
	    $(CHECK_BIN) > $(BUILD)/valgrind-$$s.log 2>&1 || { cat $(BUILD)/valgrind-$$s.log; exit 1; }; \
	    echo "valgrind: suite $$s (in process): $$(tail -n 1 $(BUILD)/valgrind-$$s.log)"; \
	done

valgrind-%: $(BIN) $(CHECK_BIN) | $(BUILD)/.valgrind-deps-ok
	@echo "valgrind: suite $* ..."
	@CK_RUN_SUITE=$(basename $*) ONS_TEST_SHARD=$(patsubst .%,%,$(suffix $*))/$(VALGRIND_SHARDS) \
	    CK_TIMEOUT_MULTIPLIER=20 ONSHORE_UNDER_VALGRIND=$(abspath $(BIN)) \
	    ONSHORE_BIN=$(abspath mk/valgrind-onshore) ONSHORE_ROOT=$(CURDIR) $(CHECK_BIN) \
	    > $(BUILD)/valgrind-$*.log 2>&1 || { cat $(BUILD)/valgrind-$*.log; exit 1; }
	@echo "valgrind: suite $*: $$(tail -n 1 $(BUILD)/valgrind-$*.log)"

$(BUILD)/.valgrind-deps-ok: mk/deps.sh | $(DEPS_OK)
	@sh mk/deps.sh valgrind
	@touch $@

# clang-tidy per file (so make -j lints in parallel), then cppcheck on the whole
LINT_SRC   := $(LANG_SRC) $(RUNTIME_SRC) runtime/cli/main.c $(wildcard tools/*.c) $(wildcard tests/fuzz/*.c)
LINT_HDR   := $(wildcard lang/*.h lang/api/*.h runtime/*/*.h)
LINT_FLAGS  = $(CSTD) $(ALL_INC) $(EDIT_CFLAGS) $(COIN_CFLAGS)
lint: $(LINT_SRC:%.c=$(BUILD)/lint/%.tidy)
	cppcheck -q --enable=warning,performance,portability --std=c11 -D_POSIX_C_SOURCE=200809L \
	    $(ALL_INC) --inline-suppr --error-exitcode=1 $(LINT_SRC)
	@echo "lint: clean"

$(BUILD)/lint/%.tidy: %.c .clang-tidy $(LINT_HDR) $(GEN)/parser.h $(GEN)/lexer.h | $(BUILD)/.lint-deps-ok
	@mkdir -p $(@D)
	@echo "clang-tidy $<"
	@clang-tidy -quiet $< -- $(LINT_FLAGS) 2>/dev/null
	@touch $@

$(BUILD)/.lint-deps-ok: mk/deps.sh | $(DEPS_OK)
	@sh mk/deps.sh cppcheck clang-tidy
	@touch $@

# libFuzzer over compile + run (clang, ASan, UBSan), seeded with every example,
# script test and spec block; a finding stops it with the input saved under
# build/fuzz/.  SECONDS=N bounds the run.  make fuzz-afl: the same harness
# under AFL++ for SECONDS (findings in build/afl/out/default/crashes).
SECONDS ?= 60
FUZZ_BIN := build/fuzz/fuzz_onshore
# the memory budget of one input: smaller stacks, lists, strings and runs than
# the interpreter's own limits, so a runaway input is an error, not an OOM
FUZZ_LIMITS := -DONS_STACK_SLOTS=65536 -DONS_MAX_FRAMES=2000 -DONS_MAX_LIST=1048576u \
               -DONS_MAX_STRING=16777216u -DONS_MAX_RUN_CELLS=1000000u -DONS_MAX_RUN_ORIGINS=4000000u \
               -DONS_MAX_PLAN_COLUMNS=20000u -DONS_MAX_PLAN_ENTRIES=200000u -DONS_MAX_CSV_CELLS=100000u
fuzz:
	@sh mk/deps.sh clang libclang-rt-14-dev
	$(MAKE) BUILD=build/fuzz CC=clang OPT=-O1 DEFS="$(FUZZ_LIMITS)" \
	    SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
	    build/fuzz/libonshore.a
	clang -O1 -g -fsanitize=fuzzer,address,undefined $(subst $(GEN),build/fuzz/gen,$(ALL_INC)) \
	    tests/fuzz/fuzz_onshore.c build/fuzz/libonshore.a -lm -ldl -o $(FUZZ_BIN)
	@mkdir -p build/fuzz/corpus build/fuzz/seeds build/fuzz/findings
	@cp examples/*.ons tests/scripts/*/*.ons build/fuzz/seeds/ 2>/dev/null || true
	@cp tests/bad/*.ons build/fuzz/seeds/ 2>/dev/null || true
	@awk '/^```/ { if (f) { close(f); f = "" } else f = sprintf("build/fuzz/seeds/spec_%03d.ons", ++n); next } \
	     f { print > f }' tests/spec/LANGUAGE.md
	@# in a folder of its own: inputs write reports (`to "a_directory"`) where they run
	@rm -rf build/fuzz/work && mkdir -p build/fuzz/work
	cd build/fuzz/work && $(abspath $(FUZZ_BIN)) -max_total_time=$(SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -max_len=65536 -dict=$(abspath tests/fuzz/onshore.dict) -artifact_prefix=$(abspath build/fuzz/findings)/ \
	    $(abspath build/fuzz/corpus) $(abspath build/fuzz/seeds)

fuzz-afl:
	@sh mk/deps.sh afl++
	$(MAKE) BUILD=build/afl CC=afl-clang-fast OPT=-O1 build/afl/libonshore.a
	afl-clang-fast -O1 -g $(subst $(GEN),build/afl/gen,$(ALL_INC)) tests/fuzz/fuzz_onshore.c tests/fuzz/afl_main.c \
	    build/afl/libonshore.a -lm -ldl -o build/afl/fuzz_onshore
	@rm -rf build/afl/seeds && mkdir -p build/afl/seeds && cp examples/*.ons tests/bad/*.ons build/afl/seeds/ 2>/dev/null || true
	@rm -rf build/afl/work && mkdir -p build/afl/work
	cd build/afl/work && AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 afl-fuzz \
	    -i $(abspath build/afl/seeds) -o $(abspath build/afl/out) -V $(SECONDS) -x $(abspath tests/fuzz/onshore.dict) \
	    -- $(abspath build/afl/fuzz_onshore) @@

# timings are not tests: bench is run by hand, never in check
bench: all
	@sh mk/deps.sh lua5.4 python3 coinor-clp glpk-utils
	python3 bench/run.py

# the include paths enforce the layer order; this says it plainly: core
# includes no model, lang or cli header, and the VM knows no model
check-deps:
	@! grep -n '#include "\(model\|sim\|report\|figures\|table\|lint\|frontend\|compiler\|session\|repl\)' \
	    runtime/core/*.c runtime/core/*.h || { echo "runtime/core/ includes a header of a layer above it"; exit 1; }
	@echo "check-deps: the layers include downwards only"

clean:
	rm -rf build $(BIN)

-include $(ALL_OBJ:.o=.d)
print-%:
	@echo '$*=$($*)'
