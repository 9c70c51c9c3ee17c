/* The REPL's parts and the state they share.  repl.c runs the loop and owns
 * the session; repl_edit.c is libedit and the history file; repl_complete.c
 * completes names; repl_session.c runs code and files in the session and
 * replaces it; repl_cmds.c dispatches the `:` commands, with :show in
 * repl_show.c, :list in repl_list.c (both align with repl_rows.c), :save in
 * repl_save.c (values by repl_literal.c) and :help in repl_help.c. */
#ifndef ONS_RUNTIME_REPL_INTERNAL_H
#define ONS_RUNTIME_REPL_INTERNAL_H

#include "diag.h"
#include "vm.h"

#include <signal.h>

struct editline;  /* libedit's EditLine and History, kept opaque here */
struct history;
struct OnsEditLib;

typedef struct OnsRepl {
    OnsVM *vm;                  /* the session; :reset and :reload replace it */
    bool tty;                   /* on a terminal: libedit, prompts, history */
    const struct OnsEditLib *ed; /* libedit's functions (edit_lib.h), loaded for a terminal */
    struct editline *el;
    struct history *hist;
    char *hist_path;            /* NULL: history is not kept */
    bool hist_warned;           /* a failed save is reported once */
    char prompt[16];            /* what the prompt callback hands libedit */
    char *buf;                  /* the entry being read, over several lines */
    size_t len, cap;
    unsigned entry;             /* entries run so far: sources are named <repl:N> */
    char **files;               /* files loaded (-i, :load), in order: what :reload reloads */
    int nfiles, files_cap;
    OnsSource **modules;        /* sources of imported modules: :save writes `import`, not them */
    size_t nmodules, modules_cap;
    size_t nsources_seen;       /* vm->nsources already sorted into ours and modules */
    bool quit;
    bool timing;                /* :timing on: each entry's time after it */
    bool no_pager;              /* :set pager off */
    bool narrow;                /* :set wide off: a table wider than the terminal prints as records */
    int failures;               /* entries and commands that failed (exit status off a terminal) */
    volatile sig_atomic_t *interrupt;
} OnsRepl;

/* `_`, the last value echoed (session.c sets it): :list and :save leave it out. */
static inline bool repl_is_last_value(const OnsString *name)
{
    return name->len == 1 && name->chars[0] == '_';
}

/* ---- repl.c ---- */

/* Installs the SIGINT handler for evaluation (true) or the prompt (false). */
void repl_signals(bool evaluating);

/* ---- repl_help_lang.c ---- */

/* :help WORD about the language, from docs/reference.md: the section a
 * heading names, or the table rows and bullets that name WORD; false when
 * nothing does. */
bool repl_help_language(OnsRepl *r, const char *word);

/* ---- repl_pager.c ---- */

/* The terminal's size (0 when unknown). */
void repl_terminal_size(unsigned *rows, unsigned *cols);
/* Shows an entry's output: through the pager ($ONSHORE_PAGER, $PAGER, or
 * `less -FRSX`; an empty one means none) when it is taller or wider than
 * the terminal, else straight to stdout. */
void repl_show_output(OnsRepl *r, const char *text, size_t len);

/* ---- repl_session.c ---- */

/* Compiles and runs text as one REPL entry (acknowledgements, echo). */
OnsStatus repl_eval(OnsRepl *r, const char *text, size_t len);
/* Compiles an expression and runs it, leaving its value rooted on the VM's
 * temporary roots (the caller pops them); errors are reported. */
OnsStatus repl_value_of(OnsRepl *r, const char *what, const char *text, OnsValue *out);
/* Prints the bytecode of an expression, compiled but not run (:dis). */
void repl_dis_expr(OnsRepl *r, const char *text);
/* Loads a file into the session (REPL rules, no acknowledgements) and
 * remembers it for :reload. */
OnsStatus repl_load(OnsRepl *r, const char *path, bool remember);
/* Replaces the session by a fresh one; with reload, the remembered files are
 * loaded into it first and the old session stays when one of them fails. */
OnsStatus repl_fresh_session(OnsRepl *r, bool reload);
/* Files :reload reloads, in order, each once. */
void repl_remember_file(OnsRepl *r, const char *path);
void repl_forget_files(OnsRepl *r);
/* Records which sources the VM adopted came from imports (see modules):
 * all but own since the last call; at the start, all but the -i files'. */
void repl_note_sources(OnsRepl *r, const OnsSource *own);
void repl_classify_initial(OnsRepl *r);
bool repl_is_module_source(const OnsRepl *r, const OnsSource *src);

/* ---- repl_edit.c ---- */

/* Sets LC_CTYPE from the environment, falling back to C.UTF-8 under the C
 * locale: without a UTF-8 locale libedit drops non-ASCII input. */
void repl_setup_locale(void);
/* The history file: $ONSHORE_HISTORY, else ~/.onshore_history; NULL when
 * neither can be named (an empty $ONSHORE_HISTORY turns history off). */
char *repl_history_path(void);
/* Line editing on the terminal; false, with *why, when it cannot be had. */
bool repl_edit_open(OnsRepl *r, const char **why);
void repl_edit_close(OnsRepl *r);
/* Reads one line, with the continuation prompt while r->len > 0.  Returns
 * the line with its newline (valid until the next call), or NULL:
 * *interrupted says whether Ctrl-C rather than Ctrl-D ended it. */
const char *repl_edit_read(OnsRepl *r, bool *interrupted);
/* Adds a whole entry (several lines) to the history and saves the file. */
void repl_history_add(OnsRepl *r, const char *entry, size_t len);
#define ONS_HISTORY_SIZE 1000

/* ---- repl_complete.c ---- */

/* Completions of the word before cursor in line: candidates (malloc'd,
 * sorted, unique) that replace line[*word_start .. cursor). */
typedef struct OnsCompletions {
    char **items;
    size_t n, cap;
    size_t word_start;
    const char *suffix;         /* appended after a unique candidate: " ", "" */
    bool files;                 /* file names: listed without their folder */
} OnsCompletions;
void repl_complete(OnsRepl *r, const char *line, size_t cursor, OnsCompletions *out);
void repl_completions_free(OnsCompletions *c);
/* Binds Tab to completion on r->el. */
void repl_complete_install(OnsRepl *r);

/* ---- repl_cmds.c ---- */

/* Names of the commands, NULL-terminated (completion, suggestions). */
extern const char *const ons_repl_commands[];
/* The nth command of the REPL's table (from 0), NULL past the last. */
const char *repl_command_nth(size_t i);
/* Runs a `:` command line. */
void repl_command(OnsRepl *r, const char *line);
/* The source text behind a span, or NULL. */
const char *repl_span_text(const OnsSource *src, OnsSpan span, size_t *len);

/* ---- repl_rows.c ---- */

#define ONS_ROW_COLS 3
typedef struct OnsRows {
    char *(*cells)[ONS_ROW_COLS];
    size_t n, cap;
} OnsRows;
/* Adds a row; NULL cells are empty. */
void repl_rows_add(OnsRows *t, const char *a, const char *b, const char *c);
/* Prints the rows after indent, each column as wide as its widest cell,
 * and empties t. */
void repl_rows_print(OnsRows *t, OnsOut *out, const char *indent);

/* ---- repl_show.c, repl_list.c ---- */

void repl_cmd_show(OnsRepl *r, const char *args);
void repl_cmd_list(OnsRepl *r, const char *args);
/* The kind names :list takes, plural, NULL-terminated. */
extern const char *const ons_repl_list_kinds[];
/* The stored form of a property (constant, series or closure) of an
 * entity, for :show and :dis; false when it has no such property. */
bool repl_entity_prop(OnsVM *vm, OnsValue entity, const char *prop, OnsValue *raw);

/* ---- repl_save.c ---- */

/* Writes the session's declarations, variables and functions as a script
 * to out; counts what was written and lists what could not be (a closure
 * over local variables) in skipped and the runs it cannot make again (run
 * on declarations or values changed since) in stale, one name a line. */
void repl_save_script(OnsRepl *r, OnsOut *out, int *ndecls, int *nvars, int *nfns, OnsOut *skipped,
                      OnsOut *stale);
void repl_cmd_save(OnsRepl *r, const char *path);

/* ---- repl_literal.c ---- */

/* Writes v as source text that evaluates to exactly v; false (writing
 * nothing) when it has none: a closure over locals, a lane, a report. */
bool repl_write_value(OnsVM *vm, OnsOut *out, OnsValue v);

/* ---- repl_help.c ---- */

/* Prints the help on a topic (NULL or "": the overview). */
void repl_cmd_help(OnsRepl *r, const char *topic);
/* The text of a help topic as docs/repl.md has it; false when unknown. */
bool repl_help_text(const char *topic, const char **text, size_t *len);
/* The nth topic name, NULL past the last. */
const char *repl_help_topic(size_t i, char *buf, size_t n);

#endif
