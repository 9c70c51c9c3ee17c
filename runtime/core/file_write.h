/* Writing a whole file the program was asked to write (a report's `to`, a
 * plot's SVG, a sweep's part, `:save`): readers never see half a file, a
 * failure leaves the old one as it was, and what is not a regular file is
 * not replaced by one. */
#ifndef ONS_RUNTIME_FILE_WRITE_H
#define ONS_RUNTIME_FILE_WRITE_H

#include "common.h"

/* Writes text[0..len) to path; 0, or the errno of what failed.
 * - A regular file (or a new one): a temporary file made with mkstemp in
 *   the same folder, written, given the old file's mode (a new file: 0666
 *   less the umask), flushed to disk, then renamed over the path.
 * - Anything else that exists (a device such as /dev/null or /dev/stdout,
 *   a pipe, a symbolic link): written in place, as a shell's `>` would, so
 *   the device stays a device and the link a link.
 * - A folder: EISDIR.
 * SIGINT and SIGTERM wait until the temporary file is renamed or removed,
 * so a Ctrl-C never leaves one behind. */
int ons_write_file(const char *path, const char *text, size_t len);

#endif
