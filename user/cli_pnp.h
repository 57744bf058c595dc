/* minwdmctl's Plug and Play commands (cli_pnp.c). */
#ifndef MINWDM_CLI_PNP_H
#define MINWDM_CLI_PNP_H

#include <wchar.h>

struct cli_options;

int cli_install_device(const struct cli_options *o);
int cli_remove_device(const struct cli_options *o);
/* For status: a "device:" line per present device node the service drives (none: nothing). */
void cli_print_devices_of_service(const wchar_t *service);

#endif
