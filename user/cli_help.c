#include "cli_help.h"

#include <string.h>

#include "ctl_contract.h"

static const char usage_text[] =
    "usage: minwdmctl [global options] <command> [arguments] [command options]\n"
    "\n"
    "service commands (an elevated prompt on Windows):\n"
    "%s"
    "device commands (the driver must be running):\n"
    "%s"
    "\n"
    "global options:\n"
    "  --name <service>     service name (default " MINWDM_SERVICE_NAME ")\n"
    "  --device <path>      device path (default " MINWDM_DEVICE_PATH ")\n"
    "  --timeout <seconds>  how long start and stop wait for the driver (default 30), and\n"
    "                       log --follow follows (default: until Ctrl+C)\n"
    "  -h, --help           this text; `minwdmctl <command> --help` explains a command\n"
    "\n"
    "exit codes: 0 done (also when there was nothing to do), 1 failed, 2 usage error,\n"
    "            3 not found (file, service or device), 4 access denied (not elevated),\n"
    "            5 the driver failed: not a valid driver image, failed to start or unload,\n"
    "              or failed a request\n";

void cli_print_usage(FILE *out, const struct cli_command *commands, size_t count)
{
    char service_list[2048] = "", device_list[2048] = "";

    for (size_t i = 0; i < count; i++) {
        char *list = commands[i].group == CLI_SERVICE ? service_list : device_list;
        size_t used = strlen(list);
        snprintf(list + used, sizeof(service_list) - used, "  %s\n", commands[i].synopsis);
    }
    fprintf(out, usage_text, service_list, device_list);
}

void cli_print_command_help(const struct cli_command *command)
{
    printf("usage: minwdmctl [global options] %s\n\n%s", command->synopsis, command->help);
    if (command->more_help)
        command->more_help();
}

void cli_print_codes(void)
{
    printf("\ncodes by name (any case):\n");
    for (size_t i = 0; i < ctl_code_count; i++)
        printf("  %-36s 0x%08lX  %s\n", ctl_codes[i].name, (unsigned long)ctl_codes[i].code,
               ctl_codes[i].device == CTL_CODE_DRIVER ? "minwdm.sys (--device)"
                                                      : "control device (--device "
                                                        "\\\\.\\" MINWDM_CONTROL_PREFIX "<service>)");
}
