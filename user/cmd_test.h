/* `minwdmctl test`: a driver's kernel tests and client, from install to remove. */
#ifndef MINWDMCTL_CMD_TEST_H
#define MINWDMCTL_CMD_TEST_H

#include <windows.h>

/* argv[first] is the word after "test"; global options (--name, --timeout) may come before it.
 * Returns the exit code. */
int cmd_test(int argc, WCHAR **argv, int first);

/* The command's help text. */
extern const char cmd_test_help[];

#endif
