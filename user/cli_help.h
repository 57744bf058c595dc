/* minwdmctl's help: the usage, built from the command table, and each command's own text.
 * Portable C. */
#ifndef MINWDMCTL_CLI_HELP_H
#define MINWDMCTL_CLI_HELP_H

#include <stdio.h>

#include "cli_args.h"

/* minwdmctl --help: every command's synopsis by group, the global options, the exit codes. */
void cli_print_usage(FILE *out, const struct cli_command *commands, size_t count);

/* minwdmctl <command> --help. */
void cli_print_command_help(const struct cli_command *command);

/* The request codes of the contract, for ioctl --help. */
void cli_print_codes(void);

#endif
