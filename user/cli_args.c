#include "cli_args.h"

#include <minwdm/log.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctl_contract.h"
#include "ctl_hints.h"

int cli_usage_error(const char *format, ...)
{
    va_list args;

    fputs("minwdmctl: ", stderr);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputs("\n(minwdmctl --help lists the commands and options)\n", stderr);
    return CTL_EXIT_USAGE;
}

static int digit_value(char c, unsigned base)
{
    int value = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;

    return value >= 0 && (unsigned)value < base ? value : -1;
}

enum cli_number_result cli_number(const char *text, uint64_t min, uint64_t max, unsigned flags,
                                  uint64_t *value)
{
    unsigned base = 10;
    uint64_t number = 0;
    int too_big = 0;

    if ((flags & CLI_HEX_ALLOWED) && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text += 2;
    }
    if (!*text)
        return CLI_NUMBER_NOT_A_NUMBER;
    for (; *text; text++) {
        int digit = digit_value(*text, base);
        if (digit < 0)
            return CLI_NUMBER_NOT_A_NUMBER;
        if (number > (UINT64_MAX - (uint64_t)digit) / base)
            too_big = 1; /* keep going: a later non-digit makes it no number at all */
        else
            number = number * base + (uint64_t)digit;
    }
    if (too_big || number < min || number > max)
        return CLI_NUMBER_OUT_OF_RANGE;
    *value = number;
    return CLI_NUMBER_OK;
}

int cli_number_arg(const char *wants, const char *text, uint64_t min, uint64_t max,
                   unsigned flags, uint64_t *value)
{
    enum cli_number_result result = cli_number(text, min, max, flags, value);

    if (result == CLI_NUMBER_OK)
        return CTL_EXIT_OK;
    if (flags & CLI_HEX_ALLOWED)
        return cli_usage_error("%s, 0x%llX to 0x%llX: '%s' is %s", wants, (unsigned long long)min,
                               (unsigned long long)max, text,
                               result == CLI_NUMBER_OUT_OF_RANGE
                                   ? "out of range"
                                   : "not a number (decimal digits, or 0x and hex digits)");
    return cli_usage_error("%s, %llu to %llu: '%s' is %s", wants, (unsigned long long)min,
                           (unsigned long long)max, text,
                           result == CLI_NUMBER_OUT_OF_RANGE ? "out of range"
                                                             : "not a number (digits only)");
}

long cli_parse_hex(const char *text, uint8_t *out, size_t size)
{
    size_t n = 0;

    while (*text) {
        if (*text == ' ' || *text == ':' || *text == '-') {
            text++;
            continue;
        }
        int high = digit_value(text[0], 16), low = high < 0 ? -1 : digit_value(text[1], 16);
        if (low < 0 || n == size)
            return -1;
        out[n++] = (uint8_t)(high << 4 | low);
        text += 2;
    }
    return (long)n;
}

int cli_parse_code(const char *text, uint32_t *code)
{
    uint64_t number;

    /* A name starts with a letter; anything else is read as a number, strictly. */
    if ((*text >= 'A' && *text <= 'Z') || (*text >= 'a' && *text <= 'z') || *text == '_') {
        if (ctl_code_by_name(text, code))
            return CTL_EXIT_OK;
        return cli_usage_error("ioctl: '%s' is neither a number nor a known code name "
                               "(minwdmctl ioctl --help lists them)", text);
    }
    if (cli_number_arg("ioctl wants a code", text, 0, UINT32_MAX, CLI_HEX_ALLOWED, &number))
        return CTL_EXIT_USAGE;
    *code = (uint32_t)number;
    return CTL_EXIT_OK;
}

int cli_parse_level(const char *text, uint32_t *level)
{
    for (uint32_t i = 0; i < MINWDM_LOG_LEVEL_COUNT; i++) {
        if (strcmp(text, log_level_names[i]) == 0 || (text[0] == (char)('0' + i) && !text[1])) {
            *level = i;
            return 1;
        }
    }
    return 0;
}

int cli_parse_start_type(const char *text, uint32_t *type)
{
    static const struct {
        const char *name;
        uint32_t type;
    } types[] = {{"demand", CLI_START_DEMAND}, {"system", CLI_START_SYSTEM}, {"auto", CLI_START_AUTO}};

    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (strcmp(text, types[i].name) == 0) {
            *type = types[i].type;
            return 1;
        }
    }
    return 0;
}

/* --- options that take a value: each setter returns CTL_EXIT_OK or the usage error --- */

static int set_name(struct cli_options *o, const char *option, const char *value)
{
    const char *problem = cli_service_name_problem(value);

    if (problem)
        return cli_usage_error("%s: '%s' %s", option, value, problem);
    o->service = value;
    o->given_name = 1;
    return CTL_EXIT_OK;
}

static int set_device(struct cli_options *o, const char *option, const char *value)
{
    (void)option;
    o->device = value;
    return CTL_EXIT_OK;
}

static int set_group(struct cli_options *o, const char *option, const char *value)
{
    (void)option;
    o->group = value;
    return CTL_EXIT_OK;
}

static int set_filter_altitude(struct cli_options *o, const char *option, const char *value)
{
    char wants[80];
    uint64_t altitude;

    snprintf(wants, sizeof(wants), "%s wants a minifilter altitude (1 to 999999999)", option);
    int rc = cli_number_arg(wants, value, 1, 999999999, CLI_DECIMAL, &altitude);
    o->filter_altitude = (uint32_t)altitude;
    return rc;
}

static int set_timeout(struct cli_options *o, const char *option, const char *value)
{
    char wants[64];
    uint64_t seconds;

    snprintf(wants, sizeof(wants), "%s wants seconds", option);
    if (cli_number_arg(wants, value, 1, CLI_MAX_TIMEOUT_S, CLI_DECIMAL, &seconds))
        return CTL_EXIT_USAGE;
    o->timeout_ms = (uint32_t)seconds * 1000;
    o->timeout_given = 1;
    return CTL_EXIT_OK;
}

static int set_start(struct cli_options *o, const char *option, const char *value)
{
    if (!cli_parse_start_type(value, &o->start_type))
        return cli_usage_error("%s wants demand, system or auto", option);
    return CTL_EXIT_OK;
}

static int set_in(struct cli_options *o, const char *option, const char *value)
{
    (void)option;
    o->in_hex = value;
    return CTL_EXIT_OK;
}

static int set_out_size(struct cli_options *o, const char *option, const char *value)
{
    char wants[64];
    uint64_t size;

    snprintf(wants, sizeof(wants), "%s wants a byte count", option);
    if (cli_number_arg(wants, value, 0, CLI_MAX_IO_SIZE, CLI_DECIMAL, &size))
        return CTL_EXIT_USAGE;
    o->out_size = (uint32_t)size;
    return CTL_EXIT_OK;
}

static int set_since(struct cli_options *o, const char *option, const char *value)
{
    char wants[64];

    snprintf(wants, sizeof(wants), "%s wants a record number", option);
    return cli_number_arg(wants, value, 0, UINT64_MAX, CLI_DECIMAL, &o->since);
}

static const struct {
    const char *name;
    unsigned flag; /* 0: a global option */
    int (*set)(struct cli_options *o, const char *option, const char *value);
} valued[] = {
    {"--name", 0, set_name},         {"--device", 0, set_device},
    {"--timeout", 0, set_timeout},   {"--start", OPT_START, set_start},
    {"--in", OPT_IN, set_in},        {"--out-size", OPT_OUT_SIZE, set_out_size},
    {"--since", OPT_SINCE, set_since}, {"--group", OPT_GROUP, set_group},
    {"--filter-altitude", OPT_FILTER, set_filter_altitude},
};

/* 1 when argv[*i] was an option with a value (taken, *i moved past it), 0 when it is not one,
 * -1 after a usage error. */
static int value_option(int argc, char **argv, int *i, struct cli_options *o)
{
    for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
        if (strcmp(argv[*i], valued[k].name) != 0)
            continue;
        if (*i + 1 >= argc || !argv[*i + 1][0]) {
            cli_usage_error("%s needs a value", valued[k].name);
            return -1;
        }
        o->given |= valued[k].flag;
        return valued[k].set(o, valued[k].name, argv[++*i]) == CTL_EXIT_OK ? 1 : -1;
    }
    return 0;
}

/* Options without a value: 1 when argv was one. */
static int flag_option(const char *a, struct cli_options *o)
{
    static const struct {
        const char *name;
        unsigned flag;
    } flags[] = {{"--json", OPT_JSON}, {"--force", OPT_FORCE}, {"--follow", OPT_FOLLOW},
                 {"--numbered", OPT_NUMBERED}};

    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
        o->help = 1;
        return 1;
    }
    for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
        if (strcmp(a, flags[k].name) == 0) {
            o->given |= flags[k].flag;
            o->json |= flags[k].flag == OPT_JSON;
            o->force |= flags[k].flag == OPT_FORCE;
            return 1;
        }
    }
    return 0;
}

static const struct cli_command *find_command(const char *name, const struct cli_command *commands,
                                              size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void set_defaults(struct cli_options *o)
{
    memset(o, 0, sizeof(*o));
    o->service = MINWDM_SERVICE_NAME;
    o->device = MINWDM_DEVICE_PATH;
    o->timeout_ms = CLI_DEFAULT_TIMEOUT_S * 1000;
    o->start_type = CLI_START_DEMAND;
    o->out_size = CLI_DEFAULT_OUT_SIZE;
}

int cli_parse(int argc, char **argv, const struct cli_command *commands, size_t count,
              struct cli_options *o)
{
    set_defaults(o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int taken = value_option(argc, argv, &i, o);
        if (taken < 0)
            return CTL_EXIT_USAGE;
        if (taken || flag_option(a, o))
            continue;
        if (a[0] == '-' && a[1] == '-')
            return cli_usage_error("unknown option %s", a);
        if (!o->command) {
            if (!(o->command = find_command(a, commands, count)))
                return cli_usage_error("unknown command '%s'", a);
        } else if (o->count < CLI_MAX_ARGS) {
            o->args[o->count++] = a;
        } else {
            return cli_usage_error("too many arguments");
        }
    }
    if (o->help || !o->command)
        return CTL_EXIT_OK;
    if (o->given & ~o->command->options)
        return cli_usage_error("an option given does not apply to '%s' (minwdmctl <command> "
                               "--help)", o->command->name);
    if (o->count < o->command->min_args || o->count > o->command->max_args)
        return cli_usage_error("usage: minwdmctl %s", o->command->synopsis);
    return CTL_EXIT_OK;
}

/* --- names ------------------------------------------------------------------------------- */

const char *cli_service_name_problem(const char *name)
{
    size_t characters = 0;

    if (!name || !*name)
        return "is empty: a service needs a name";
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        if (*c == '/' || *c == '\\')
            return "has a slash: the service manager refuses / and \\ in a service name";
        if (*c < 0x20)
            return "has a control character";
        if ((*c & 0xC0) != 0x80)
            characters += *c >= 0xF0 ? 2 : 1; /* UTF-16 units: 4-byte UTF-8 is a surrogate pair */
    }
    if (characters > MINWDM_CONTROL_NAME_MAX)
        return "is too long: a RUNTIME driver's control device \\\\.\\minwdm.<name> takes at "
               "most 248 characters";
    char last = name[strlen(name) - 1];
    if (last == '.' || last == ' ')
        return "ends with a dot or a space: Windows strips those from the control device's "
               "name, which would then be another driver's";
    return NULL;
}

/* Whether s matches the pattern [p, end): `*` any run, `?` one character. Greedy with one
 * backtrack point (the last `*`): at most len(p) * len(s) steps, never exponential. */
static int glob(const char *p, const char *end, const char *s)
{
    const char *star = NULL, *resume = NULL;

    while (*s) {
        if (p < end && (*p == '?' || *p == *s)) {
            p++;
            s++;
        } else if (p < end && *p == '*') {
            star = p++;
            resume = s;
        } else if (star) {
            p = star + 1;
            s = ++resume;
        } else {
            return 0;
        }
    }
    while (p < end && *p == '*')
        p++;
    return p == end;
}

int cli_test_selected(const char *name, const char *patterns)
{
    if (!patterns || !*patterns)
        return 1;
    for (const char *p = patterns;;) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        if (glob(p, end, name))
            return 1;
        if (!*end)
            return 0;
        p = end + 1;
    }
}
