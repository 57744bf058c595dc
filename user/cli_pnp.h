/* minwdmctl's Plug and Play commands (cli_pnp.c). */
#ifndef MINWDM_CLI_PNP_H
#define MINWDM_CLI_PNP_H

#include <wchar.h>

struct cli_options;

int cli_install_device(const struct cli_options *o);
int cli_remove_device(const struct cli_options *o);
/* The service (AddService of its INF) that drives the first device node with the hardware id,
 * into service[chars]: FALSE when no node has the id or it has no service. */
int cli_device_service(const char *hardware_id, wchar_t *service, unsigned long chars);
/* For status: a "device:" line per present device node the service drives (none: nothing). */
void cli_print_devices_of_service(const wchar_t *service);

#endif
