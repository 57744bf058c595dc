/*
 * minwdmctl's command line: the options, the command table's shape, and every parser of a
 * value the user types (numbers, hex bytes, request codes, levels, start types). Portable C over
 * UTF-8 text (wmain converts the arguments first), so that the host tests run it; a bad value is
 * a usage error printed here, exit code 2.
 */
#ifndef MINWDMCTL_CLI_ARGS_H
#define MINWDMCTL_CLI_ARGS_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

enum {
    CLI_MAX_ARGS = 4, /* bench takes three */
    CLI_DEFAULT_TIMEOUT_S = 30,
    CLI_MAX_TIMEOUT_S = 3600,
    CLI_DEFAULT_OUT_SIZE = 4096,
    CLI_MAX_IO_SIZE = 1 << 20,
};

/* Options a command accepts besides the global ones. */
enum {
    OPT_START = 1,
    OPT_FORCE = 2,
    OPT_IN = 4,
    OPT_OUT_SIZE = 8,
    OPT_JSON = 16,
    OPT_FOLLOW = 32,
    OPT_SINCE = 64,
    OPT_NUMBERED = 128,
    OPT_GROUP = 256,
    OPT_FILTER = 512,
};

/* The service manager's start types, by value (SERVICE_SYSTEM_START...). */
enum cli_start_type { CLI_START_SYSTEM = 1, CLI_START_AUTO = 2, CLI_START_DEMAND = 3 };

/* What a command talks to: it decides where it is listed and which device it opens. */
enum cli_group {
    CLI_SERVICE, /* the service manager */
    CLI_DEVICE,  /* the driver's device: --device, default \\.\minwdm */
    CLI_CONTROL, /* the runtime's control device of the --name driver, \\.\minwdm.<name> */
};

struct cli_options;

struct cli_command {
    const char *name;
    enum cli_group group;
    int min_args, max_args;
    unsigned options; /* OPT_* it accepts */
    int (*run)(const struct cli_options *o);
    const char *synopsis;
    const char *help;
    void (*more_help)(void); /* prints more after help, or NULL */
};

struct cli_options {
    const struct cli_command *command; /* NULL: none given */
    int help;
    const char *service; /* UTF-8, as typed */
    int given_name;      /* --name was given (else install/load name the service after the image) */
    const char *device;
    const char *group;   /* install --group, or NULL */
    uint32_t filter_altitude; /* install --filter-altitude (a minifilter's), or 0 */
    const wchar_t *service_w; /* the same as Windows wants them: set by wmain */
    const wchar_t *device_w;
    const wchar_t *group_w;
    uint32_t timeout_ms;
    int timeout_given;
    int json;
    int force;
    uint32_t start_type; /* enum cli_start_type */
    const char *in_hex;
    uint32_t out_size;
    uint64_t since;
    unsigned given; /* OPT_* seen on the command line */
    const char *args[CLI_MAX_ARGS];
    int count;
};

/*
 * Parses argv (UTF-8) against the command table. CTL_EXIT_OK: o->command is set and its
 * arguments fit it, or o->help was asked for, or no command was given (o->command NULL: the
 * caller prints the usage). Otherwise what is wrong is printed and CTL_EXIT_USAGE returned.
 */
int cli_parse(int argc, char **argv, const struct cli_command *commands, size_t count,
              struct cli_options *o);

/* Prints "minwdmctl: <message>" and where help is; returns CTL_EXIT_USAGE. */
int cli_usage_error(const char *format, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

enum cli_number_result { CLI_NUMBER_OK, CLI_NUMBER_NOT_A_NUMBER, CLI_NUMBER_OUT_OF_RANGE };
enum { CLI_DECIMAL = 0, CLI_HEX_ALLOWED = 1 }; /* hex only where documented: 0x then digits */

/* The one number parser: decimal digits only (or 0x and hex digits when allowed), no sign, no
 * space, no suffix, within min..max. *value is set only on CLI_NUMBER_OK. */
enum cli_number_result cli_number(const char *text, uint64_t min, uint64_t max, unsigned flags,
                                  uint64_t *value);

/* cli_number, with the usage error printed: "<wants>, <min> to <max>: '<text>' is ...".
 * CTL_EXIT_OK or CTL_EXIT_USAGE. */
int cli_number_arg(const char *wants, const char *text, uint64_t min, uint64_t max,
                   unsigned flags, uint64_t *value);

/* Hex bytes ("68 69", "68:69", "6869"): the byte count, or -1 for bad text or more than size. */
long cli_parse_hex(const char *text, uint8_t *out, size_t size);

/* A request code by number (decimal, or hex after 0x) or by any IOCTL_ name of the contract.
 * CTL_EXIT_OK or CTL_EXIT_USAGE (printed). */
int cli_parse_code(const char *text, uint32_t *code);

/* A log level by name ("debug") or number ("3"): 1, or 0 when there is no such level. */
int cli_parse_level(const char *text, uint32_t *level);

/* demand, system or auto: 1, or 0. */
int cli_parse_start_type(const char *text, uint32_t *type);

/* NULL when name is a service name Windows keeps as it is (1 to MINWDM_CONTROL_NAME_MAX UTF-16 units, no slash, no
 * control character, no trailing dot or space, which Win32 would strip when opening the control
 * device \\.\minwdm.<name>); else why not, for "--name '<name>' <why>". */
const char *cli_service_name_problem(const char *name);

/* Whether the test name matches one of the comma-separated patterns (`*` any run, `?` one
 * character); an empty or NULL pattern list matches all. Time linear in the product of the
 * lengths. */
int cli_test_selected(const char *name, const char *patterns);

#endif
