/* A small pseudo-terminal driver for the REPL tests: runs the onshore
 * binary on a fresh pty as its controlling terminal, types keys into it
 * and waits for text to appear, as a person at a terminal would. */
#ifndef ONS_TESTS_PTY_H
#define ONS_TESTS_PTY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct Pty {
    int master;
    pid_t pid;
    char *raw;          /* everything the program wrote, as written */
    size_t raw_len, raw_cap;
    char *text;         /* the same with terminal controls removed and \r\n as \n */
    size_t text_len;
    size_t mark;        /* pty_expect searches text from here */
    char slave[128];    /* the terminal's name, to look at its mode */
} Pty;

/* Starts the binary under test with args (NULL-terminated, no argv[0]) in
 * a 200x50 terminal.  env: "NAME=value" to set or "NAME" to unset, NULL
 * terminated; TERM=xterm and the locale variables unset are the default. */
void pty_start(Pty *p, const char *const *args, const char *const *env);
/* Types keys (bytes as a terminal sends them: "\t", "\x03" for Ctrl-C). */
void pty_send(Pty *p, const char *keys);
/* Waits up to timeout_ms for want to appear in the text after the mark;
 * on success the mark moves past it and the result is its offset. */
bool pty_expect(Pty *p, const char *want, int timeout_ms);
/* Waits until the program reads the terminal in raw mode (libedit is
 * editing a line): keys typed earlier would be echoed twice, and Ctrl-C or
 * Ctrl-D would mean what the cooked line discipline makes of them. */
bool pty_wait_editing(Pty *p, int timeout_ms);
/* Reads whatever arrives within ms milliseconds. */
void pty_drain(Pty *p, int ms);
/* Waits up to ms for output and reads what came; false once the program
 * has closed the terminal (it exited). */
bool pty_read(Pty *p, int ms);
/* The last n bytes of the cleaned text, for failure messages. */
const char *pty_tail(Pty *p, size_t n);
/* Waits for the program to exit (killing it after timeout_ms); returns its
 * exit status, or 128+signal. */
int pty_finish(Pty *p, int timeout_ms);
void pty_free(Pty *p);

/* Default waiting time, scaled by CK_TIMEOUT_MULTIPLIER (slow builds). */
int pty_ms(int ms);

#endif
