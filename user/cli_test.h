/* `minwdmctl test`: a driver's kernel tests and client, from install to remove. */
#ifndef MINWDMCTL_CMD_TEST_H
#define MINWDMCTL_CMD_TEST_H

#include <windows.h>

/* argv[first] is the word after "test"; global options (--name, --timeout) may come before it.
 * Returns the exit code. */
int cli_test(int argc, WCHAR **argv, int first);

struct cli_options;
/* The table's entry: reached only when global options minwdmctl does not know before `test`
 * came first; says where they go. */
int cli_test_misplaced(const struct cli_options *o);

/* Prints the command's help (more of `minwdmctl test --help`). */
void cli_test_print_help(void);

#endif
