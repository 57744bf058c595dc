/* Detections in the driver's log (the verifier's "verifier: <rule>: ..." lines and the
 * allocator's "memory: ..." ones) attributed to the kernel test or client run during which they
 * were logged: `minwdmctl test` fails that step and prints them. */
#ifndef MINWDMCTL_CLI_FINDINGS_H
#define MINWDMCTL_CLI_FINDINGS_H

#include <stddef.h>
#include <stdint.h>
#include <windows.h>

/* Whether a log line is a detection. */
BOOL findings_line_is_one(const char *line, size_t length);

/* The log's next sequence number now: detections after it belong to what runs next. 0 when the
 * log cannot be read (then nothing is attributed). */
uint64_t findings_mark(HANDLE control);

/* Appends to text (NUL-terminated, size bytes) each detection logged since *mark, one per line,
 * and moves *mark past them; returns how many there were. */
unsigned findings_since(HANDLE control, uint64_t *mark, char *text, size_t size);

/* After a stop: the verifier's findings in the log the driver saved as it unloaded (what it
 * left behind, and anything found while it ran), printed one per line; returns how many. */
unsigned findings_print_saved(const WCHAR *service);

#endif
