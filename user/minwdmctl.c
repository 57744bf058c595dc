/* minwdmctl: install, start, stop and remove the minwdm driver, and talk to its device. */
#include <minwdm/ioctl.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

#include "ctl_device.h"
#include "ctl_error.h"
#include "ctl_service.h"
#include "minwdm_build.h"

enum { MAX_ARGS = 8, TEXT_SIZE = MINWDM_ECHO_MAX * 4 + 1 };

static const char usage_text[] =
    "usage: minwdmctl [--name <service>] [--device <path>] <command> [arguments]\n"
    "\n"
    "service commands (an elevated prompt on Windows):\n"
    "  install <driver.sys>  register the driver as a demand-start kernel service;\n"
    "                        a relative path is made absolute, an existing service is updated\n"
    "  start                 start the driver and wait until it runs\n"
    "  stop                  stop the driver and wait until it has unloaded\n"
    "  remove                stop the driver if it runs, then delete its service\n"
    "  status                state, start type, image path and exit codes of the service\n"
    "device commands (the driver must be running):\n"
    "  version               the driver's version, ABI and build\n"
    "  echo <text>           send text to the driver and print what it sends back\n"
    "\n"
    "options:\n"
    "  --name <service>      service name (default " MINWDM_SERVICE_NAME ")\n"
    "  --device <path>       device path (default " MINWDM_DEVICE_PATH ")\n"
    "  -h, --help            this text\n"
    "\n"
    "exit codes: 0 done, 1 failed, 2 usage error, 3 not found (file, service or device),\n"
    "            4 access denied, 5 the driver failed to start or failed a request\n";

struct command {
    const char *name;
    int arguments;
};

static const struct command commands[] = {
    {"install", 1}, {"start", 0}, {"stop", 0}, {"remove", 0},
    {"status", 0},  {"version", 0}, {"echo", 1},
};

static int usage_error(const char *fmt, const char *detail)
{
    fputs("minwdmctl: ", stderr);
    fprintf(stderr, fmt, detail);
    fputs("\n(minwdmctl --help shows the commands)\n", stderr);
    return CTL_EXIT_USAGE;
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static int run(const struct command *command, const WCHAR *service, const WCHAR *device,
               const WCHAR *const *wide_args, char args[][TEXT_SIZE])
{
    const char *name = command->name;

    if (strcmp(name, "install") == 0)
        return ctl_install(service, wide_args[0]);
    if (strcmp(name, "start") == 0)
        return ctl_start(service);
    if (strcmp(name, "stop") == 0)
        return ctl_stop(service);
    if (strcmp(name, "remove") == 0)
        return ctl_remove(service);
    if (strcmp(name, "status") == 0)
        return ctl_status(service);
    if (strcmp(name, "version") == 0) {
        printf("minwdmctl %d.%d.%d, ABI %u, build %s\n", MINWDM_VERSION_MAJOR, MINWDM_VERSION_MINOR,
               MINWDM_VERSION_PATCH, MINWDM_ABI_VERSION, MINWDM_BUILD_ID);
        return ctl_version(device);
    }
    return ctl_echo(device, args[0]);
}

int wmain(int argc, WCHAR **argv)
{
    static char args[MAX_ARGS][TEXT_SIZE];
    const WCHAR *wide_args[MAX_ARGS] = {0};
    const WCHAR *service = L"" MINWDM_SERVICE_NAME;
    const WCHAR *device = MINWDM_DEVICE_PATH_W;
    const struct command *command = NULL;
    char word[64];
    int count = 0;

    SetConsoleOutputCP(CP_UTF8);
    for (int i = 1; i < argc; i++) {
        const WCHAR *a = argv[i];
        ctl_utf8(a, word, sizeof(word));
        if (wcscmp(a, L"-h") == 0 || wcscmp(a, L"--help") == 0) {
            fputs(usage_text, stdout);
            return CTL_EXIT_OK;
        }
        if (wcscmp(a, L"--name") == 0 || wcscmp(a, L"--device") == 0) {
            if (i + 1 >= argc || argv[i + 1][0] == L'\0')
                return usage_error("%s needs a value", word);
            if (a[2] == L'n')
                service = argv[++i];
            else
                device = argv[++i];
        } else if (a[0] == L'-' && a[1] == L'-') {
            return usage_error("unknown option %s", word);
        } else if (!command) {
            command = find_command(word);
            if (!command)
                return usage_error("unknown command '%s'", word);
        } else if (count < MAX_ARGS) {
            wide_args[count] = a;
            ctl_utf8(a, args[count], TEXT_SIZE);
            count++;
        } else {
            return usage_error("too many arguments%s", "");
        }
    }
    if (!command) {
        fputs(usage_text, stderr);
        return CTL_EXIT_USAGE;
    }
    if (count != command->arguments)
        return usage_error(command->arguments ? "%s needs one argument" : "%s takes no argument",
                           command->name);
    fflush(stdout);
    int rc = run(command, service, device, wide_args, args);
    fflush(stdout);
    return rc;
}
