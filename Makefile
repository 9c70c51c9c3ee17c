# Onshore: build, test, run.
#
#   make run     builds ./onshore and runs the flagship example
#   make check   builds and runs every test
#
# Both install missing build dependencies first (mk/deps.sh: apt-get as root,
# otherwise the one command to run).  Variants of the same suite:
#   make asan    AddressSanitizer + UBSan      make stress  GC on every allocation
#   make switch  switch dispatch instead of computed goto
#   make bench   benchmarks against Lua 5.4 and Python 3 (not part of check)
#   make lint    cppcheck and clang-tidy
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
LDLIBS_  := -lm
EDIT_CFLAGS = $(shell pkg-config --cflags libedit)
EDIT_LIBS   = $(shell pkg-config --libs libedit)
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS   = $(shell pkg-config --libs check)

GEN := $(BUILD)/gen
DEPS_OK := $(BUILD)/.deps-ok

LANG_SRC    := $(wildcard lang/*.c)
RUNTIME_SRC := $(filter-out runtime/main.c,$(wildcard runtime/*.c))
TEST_SRC    := $(wildcard tests/*.c)
STDLIB_SRC  := $(sort $(wildcard stdlib/*.ons))

LANG_OBJ    := $(LANG_SRC:%.c=$(BUILD)/%.o) $(GEN)/parser.o $(GEN)/lexer.o
RUNTIME_OBJ := $(RUNTIME_SRC:%.c=$(BUILD)/%.o) $(GEN)/stdlib_embed.o $(GEN)/repl_help_text.o
MAIN_OBJ    := $(BUILD)/runtime/main.o
TEST_OBJ    := $(TEST_SRC:%.c=$(BUILD)/%.o)
LIB         := $(BUILD)/libonshore.a
CHECK_BIN   := $(BUILD)/tests/check_all
ALL_OBJ     := $(LANG_OBJ) $(RUNTIME_OBJ) $(MAIN_OBJ) $(TEST_OBJ)

.PHONY: all run check test asan stress switch bench lint fuzz clean deps check-deps
.DEFAULT_GOAL := all

all: $(BIN)

deps: $(DEPS_OK)
$(DEPS_OK): mk/deps.sh
	@sh mk/deps.sh
	@mkdir -p $(@D) && touch $@

$(BIN): $(MAIN_OBJ) $(LIB)
	$(CC) $(OPT) -g $(SAN) -o $@ $(MAIN_OBJ) $(LIB) $(EDIT_LIBS) $(LDLIBS_)

$(LIB): $(LANG_OBJ) $(RUNTIME_OBJ)
	@rm -f $@
	ar rcs $@ $^

# runtime/ sees only runtime/: a runtime file that includes a lang header fails to build
$(BUILD)/runtime/%.o: runtime/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(WARN) $(if $(WERROR),-Werror) -Iruntime $(EDIT_CFLAGS) -c $< -o $@

$(BUILD)/lang/%.o: lang/%.c $(GEN)/parser.h $(GEN)/lexer.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(WARN) $(if $(WERROR),-Werror) -Ilang -Iruntime -I$(GEN) -c $< -o $@

$(GEN)/%.o: $(GEN)/%.c $(GEN)/parser.h $(GEN)/lexer.h
	$(CC) $(ALLCFLAGS) $(GENWARN) -Ilang -Iruntime -I$(GEN) -c $< -o $@

$(GEN)/parser.c $(GEN)/parser.h &: lang/parser.y lang/parse_errors.inc | $(DEPS_OK)
	@mkdir -p $(GEN)
	bison -Wall -Wcounterexamples -Werror --header=$(GEN)/parser.h -o $(GEN)/parser.c lang/parser.y

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

$(BUILD)/tests/%.o: tests/%.c $(GEN)/parser.h $(GEN)/lexer.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(WARN) $(if $(WERROR),-Werror) -Ilang -Iruntime -I$(GEN) $(CHECK_CFLAGS) -c $< -o $@

$(CHECK_BIN): $(TEST_OBJ) $(LIB)
	$(CC) $(OPT) -g $(SAN) -o $@ $(TEST_OBJ) $(LIB) $(CHECK_LIBS) $(EDIT_LIBS) $(LDLIBS_)

check: $(BIN) $(CHECK_BIN)
	ONSHORE_BIN=$(abspath $(BIN)) ONSHORE_ROOT=$(CURDIR) $(CHECK_BIN)

test: check

run: $(BIN)
	./$(BIN) examples/us_2030.ons

asan:
	$(MAKE) BUILD=build/asan BIN=build/asan/onshore OPT=-O1 \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" check

stress:
	$(MAKE) BUILD=build/stress BIN=build/stress/onshore DEFS=-DONS_STRESS_GC check

switch:
	$(MAKE) BUILD=build/switch BIN=build/switch/onshore DEFS=-DONS_COMPUTED_GOTO=0 check

# runtime/ must never include lang/ (the include paths enforce it; this says so plainly)
check-deps:
	@! grep -n '#include "\(ast\|parse\|parser\|lexer\|resolve\|compile\)' runtime/*.c runtime/*.h \
	    || { echo "runtime/ includes a lang/ header"; exit 1; }

clean:
	rm -rf build $(BIN)

-include $(ALL_OBJ:.o=.d)
