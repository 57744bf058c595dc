/* minwdmctl: install, start, stop and remove a kernel driver, and talk to its devices. This file
 * is the command table and wmain; each command lives in the file of its concern (cli.h). */
#include <minwdm/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "cli.h"
#include "cli_help.h"
#include "cli_pnp.h"
#include "cli_test.h"
#include "ctl_service.h"

static const struct cli_command commands[] = {
    {"install", CLI_SERVICE, 1, 1, OPT_START | OPT_FORCE | OPT_GROUP | OPT_FILTER, cli_install,
     "install <driver.sys> [--start demand|system|auto] [--group <name>] [--force]\n"
     "        [--filter-altitude <n>]",
     "Registers the driver as a kernel service (demand start unless --start says otherwise).\n"
     "A relative path is made absolute. The image is checked first: a file that is not an x64\n"
     "kernel driver is refused unless --force. An existing service gets the new image path,\n"
     "start type and group, and minwdmctl says what changed. --group puts the service in a\n"
     "load-order group; under Wine the drivers of one group share one driver host\n"
     "(winedevice.exe), as drivers that watch each other's image loads must. Without --group\n"
     "an existing service keeps its group; remove it to drop the group. --filter-altitude\n"
     "writes what the Filter Manager needs to attach a minifilter: the service's Instances key\n"
     "(DefaultInstance \"<name> Instance\", its Altitude and Flags 0) and DependOnService FltMgr.\n",
     NULL},
    {"start", CLI_SERVICE, 0, 0, 0, cli_start, "start",
     "Starts the driver and waits until it runs or fails (--timeout). On failure it prints the\n"
     "Win32 error and, for minwdm drivers, the NTSTATUS that DriverEntry returned.\n", NULL},
    {"stop", CLI_SERVICE, 0, 0, 0, cli_stop, "stop",
     "Asks the driver to unload and waits until it has (--timeout). A driver without an unload\n"
     "routine cannot stop: minwdmctl says so.\n", NULL},
    {"remove", CLI_SERVICE, 0, 0, 0, cli_remove, "remove",
     "Stops the driver if it runs, then deletes its service.\n", NULL},
    {"status", CLI_SERVICE, 0, 0, OPT_JSON, cli_status, "status [--json]",
     "Prints the service's state, start type, image path and exit codes. Exit code 3 when the\n"
     "service is not installed.\n", NULL},
    {"load", CLI_SERVICE, 1, 1, OPT_START | OPT_FORCE | OPT_GROUP | OPT_FILTER, cli_load,
     "load <driver.sys> [--start demand|system|auto] [--group <name>] [--force]\n"
     "     [--filter-altitude <n>]",
     "install, then start. Without --name the service is named after the image (x.sys: x).\n",
     NULL},
    {"unload", CLI_SERVICE, 0, 0, 0, cli_unload, "unload",
     "stop, then remove. Exit code 3 when the service is not installed.\n", NULL},
    {"install-device", CLI_SERVICE, 2, 2, 0, cli_install_device,
     "install-device <file.inf> <hardware id>",
     "Plug and Play: creates a root-enumerated device node of the INF's class with the hardware\n"
     "id and installs the INF's driver on it, as `devcon install` does (on Windows the package\n"
     "also goes into the driver store): the driver gets DriverEntry, AddDevice and\n"
     "IRP_MN_START_DEVICE. Keep the package folder together (x.inf, x.sys, x.cat). --timeout:\n"
     "how long to wait for the install (the driver's DriverEntry, AddDevice and START).\n", NULL},
    {"remove-device", CLI_SERVICE, 1, 1, 0, cli_remove_device, "remove-device <hardware id>",
     "Removes every device node with the hardware id: its driver gets IRP_MN_REMOVE_DEVICE and\n"
     "unloads when it has no device left. Exit code 3 when no device has that id.\n", NULL},
    {"version", CLI_DEVICE, 0, 0, OPT_JSON, cli_version, "version [--json]",
     "Prints minwdmctl's and the driver's version, ABI and build; exit code 5 when their ABIs\n"
     "differ.\n", NULL},
    {"echo", CLI_DEVICE, 1, 1, 0, cli_echo, "echo <text>",
     "Sends the text (UTF-8) to the driver and prints what it sends back.\n", NULL},
    {"stats", CLI_CONTROL, 0, 0, OPT_JSON, cli_stats, "stats [--json]",
     "Prints the driver allocator's numbers: outstanding blocks and bytes, peak, allocations,\n"
     "failures, detections (double frees, overruns...) and each cache.\n", NULL},
    {"selftest", CLI_DEVICE, 0, 0, 0, cli_selftest, "selftest",
     "Runs the allocator's self tests inside the driver; prints \"N passed, M failed\" and exits\n"
     "with 5 when a check failed.\n", NULL},
    {"fail-alloc", CLI_CONTROL, 1, 1, 0, cli_fail_alloc, "fail-alloc <n>",
     "Makes the driver's nth allocation from now on fail (0 turns it off), as Driver Verifier's\n"
     "low-resources simulation would. The AllocFailAt value of the service key does the same\n"
     "from DriverEntry on.\n", NULL},
    {"bench", CLI_DEVICE, 3, 3, 0, cli_bench,
     "bench pool|general|cache|aligned|lockedlist|logring|logdbgprint <size> <iterations>",
     "Times alloc+free pairs, or log records (into the ring, or to DbgPrintEx; size is then\n"
     "ignored), inside the driver (benchmark builds only: bench/run).\n", NULL},
    {"log", CLI_CONTROL, 0, 0, OPT_FOLLOW | OPT_SINCE | OPT_NUMBERED, cli_log,
     "log [--follow] [--since N] [--numbered]",
     "Prints the driver's log, the lines DebugView would show, oldest first. --since N: only\n"
     "the records after number N. --numbered: each line with its number and its time since the\n"
     "driver loaded. --follow: keeps printing new lines, across unloads and loads, until Ctrl+C\n"
     "(or --timeout seconds). When the driver is not running, prints the log it left in its\n"
     "service key when it stopped or failed to start.\n", NULL},
    {"log-level", CLI_CONTROL, 0, 1, 0, cli_log_level, "log-level [error|warn|info|debug|trace]",
     "Prints the driver's log level, or sets it until the driver unloads. The LogLevel value\n"
     "(REG_DWORD 0-4) of the service key sets it from load on.\n", NULL},
    {"test", CLI_SERVICE, 1, 1, 0, cli_test_misplaced,
     "test <driver.sys|package.inf> [--hardware-id <id>] [--filter <patterns>] [--client <exe> "
     "[args...]] [--junit <file>]",
     "", cli_test_print_help},
    {"ioctl", CLI_DEVICE, 1, 1, OPT_IN | OPT_OUT_SIZE | OPT_JSON, cli_ioctl,
     "ioctl <code> [--in HEX] [--out-size N]",
     "Sends a raw request: <code> is a number (0x... for hex) or a name such as\n"
     "IOCTL_MINWDM_ECHO; --in gives the input bytes in hex (\"68 69\"); --out-size the output\n"
     "buffer (default 4096). Prints the NTSTATUS and a hex dump of the answer (--json: one\n"
     "JSON object).\n", cli_print_codes},
};

enum { COMMAND_COUNT = sizeof(commands) / sizeof(commands[0]) };

/* The arguments in UTF-8, which the rest of minwdmctl reads; NULL (and said why) when one is
 * not valid text. */
static char **utf8_arguments(int argc, WCHAR **argv)
{
    char **utf8 = calloc((size_t)argc + 1, sizeof(*utf8));

    if (!utf8) {
        fprintf(stderr, "minwdmctl: out of memory\n");
        return NULL;
    }
    for (int i = 0; i < argc; i++) {
        if (!(utf8[i] = cli_utf8(argv[i], TRUE))) {
            fprintf(stderr, "minwdmctl: argument %d is not valid Unicode text\n", i);
            while (i > 0)
                free(utf8[--i]);
            free(utf8);
            return NULL;
        }
    }
    return utf8;
}

/* install and load without --name: the service is named after the image (x.sys: x), as `test`
 * names it; printed, so the user knows what to stop. */
static void name_after_image(struct cli_options *o)
{
    static char name[CTL_PATH_MAX];
    const char *path = o->args[0], *base = path, *p;

    if (o->given_name || !o->command || !o->count ||
        (strcmp(o->command->name, "install") != 0 && strcmp(o->command->name, "load") != 0))
        return;
    for (p = path; *p; p++)
        if (*p == '\\' || *p == '/' || *p == ':')
            base = p + 1;
    snprintf(name, sizeof(name), "%s", base);
    char *dot = strrchr(name, '.');
    if (dot && dot != name)
        *dot = 0;
    if (!name[0])
        return;
    o->service = name;
    printf("service: %s (named after the image; --name sets another)\n", name);
}

/* The names as Windows wants them: the service, its group, and the device the command talks
 * to. */
static int windows_names(struct cli_options *o)
{
    static WCHAR service[CTL_PATH_MAX], device[CTL_PATH_MAX], group[CTL_GROUP_MAX];
    static char control[CTL_PATH_MAX * 3];

    if (!cli_wide(o->service, service, CTL_PATH_MAX))
        return cli_usage_error("--name is longer than %d characters", CTL_PATH_MAX - 1);
    if (o->command->group == CLI_CONTROL) {
        /* The runtime's commands talk to the control device of the driver named by --name;
         * \\?\ as \\.\ but unlimited by MAX_PATH, which a long service name passes. */
        snprintf(control, sizeof(control), "\\\\?\\%s%s", MINWDM_CONTROL_PREFIX, o->service);
        o->device = control;
    }
    if (!cli_wide(o->device, device, CTL_PATH_MAX))
        return cli_usage_error("the device path is longer than %d characters", CTL_PATH_MAX - 1);
    if (o->group && !cli_wide(o->group, group, CTL_GROUP_MAX))
        return cli_usage_error("--group is longer than %d characters", CTL_GROUP_MAX - 1);
    o->service_w = service;
    o->device_w = device;
    o->group_w = o->group ? group : NULL;
    return CTL_EXIT_OK;
}

int wmain(int argc, WCHAR **argv)
{
    struct cli_options o;
    char **args;

    /* What a person waits for (log --follow's notes, a start's progress) must show when it
     * happens: C makes stderr unbuffered, but Wine 10's C runtime buffers it when it is a file
     * or a pipe. */
    setvbuf(stderr, NULL, _IONBF, 0);
    SetConsoleOutputCP(CP_UTF8);
    /* `test` reads its own arguments: --client takes the rest of the line as the client's. */
    for (int i = 1; i < argc; i += 2) { /* past global options and their values */
        if (!wcscmp(argv[i], L"test"))
            return cli_test(argc, argv, i + 1);
        if (wcscmp(argv[i], L"--name") != 0 && wcscmp(argv[i], L"--timeout") != 0 &&
            wcscmp(argv[i], L"--device") != 0)
            break;
    }
    if (!(args = utf8_arguments(argc, argv)))
        return CTL_EXIT_USAGE;
    int rc = cli_parse(argc, args, commands, COMMAND_COUNT, &o);
    if (rc != CTL_EXIT_OK)
        return rc;
    if (o.help && o.command) {
        cli_print_command_help(o.command);
        return CTL_EXIT_OK;
    }
    if (o.help || !o.command) {
        cli_print_usage(o.help ? stdout : stderr, commands, COMMAND_COUNT);
        return o.help ? CTL_EXIT_OK : CTL_EXIT_USAGE;
    }
    name_after_image(&o);
    if ((rc = windows_names(&o)) != CTL_EXIT_OK)
        return rc;
    rc = o.command->run(&o);
    fflush(stdout);
    return rc;
}
