/*
 * Planted mistakes for toolchain/format_check.py (the lint.format_check test): each line marked
 * "finding:" must be reported with that text, and no other line. Not built: clang would refuse
 * some of these lines itself, and let the others through (%wZ and %Z arguments, unknown
 * directives clang knows, such as %I64d).
 */
#include <minwdm/runtime.h>

struct not_a_string {
    int x;
};

void planted(PUNICODE_STRING name, PCUNICODE_STRING constant, ANSI_STRING *ansi, PCWSTR wide,
             struct kstring *portable, struct not_a_string *other, char *text, int n)
{
    char out[64];

    LOG_INFO("%wZ pid %d", name, 42);
    LOG_INFO("%wZ %wZ %Z %ws %wc %S %C %ls %lc", constant, portable, ansi, wide, L'x', wide,
             L'y', wide, L'z');
    LOG_INFO("%wZ pid %d", text, 42);   /* finding: argument 1 for %wZ wants a UNICODE_STRING pointer, gets char * */
    LOG_INFO("%wZ", ansi);              /* finding: argument 1 for %wZ wants a UNICODE_STRING pointer */
    LOG_INFO("%Z", name);               /* finding: argument 1 for %Z wants an ANSI_STRING pointer */
    LOG_INFO("%wZ", other);             /* finding: wants a UNICODE_STRING pointer, gets struct not_a_string * */
    LOG_WARN("%wZ pid %d", name);       /* finding: no argument for %d */
    LOG_ERROR("%wZ", name, n);          /* finding: 2 arguments for 1 directives */
    LOG_DEBUG("%ws", text);             /* finding: argument 1 for %ws wants a pointer to 16-bit units */
    LOG_INFO("%I64d", 1LL);             /* finding: does not know %I */
    LOG_INFO("%.*wZ", name, 3);         /* finding: argument 1 for %.*wZ wants an integer of 4 bytes */
    format_string(out, sizeof(out), "%s %wZ", text, &n); /* finding: argument 2 for %wZ */
    log_at(&driver_log, MINWDM_LOG_INFO, "%Z %d", ansi, name); /* finding: argument 2 for %d wants an integer */
    (void)out;
}
