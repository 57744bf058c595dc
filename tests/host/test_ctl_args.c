/*
 * minwdmctl's command line (user/cli_args.c) on the host: the one number parser refuses what
 * wcstoul took silently (signs, spaces, values past the range, which it saturated), request
 * codes by number and name, hex bytes, and whole command lines, with the usage error naming what
 * was typed however long it is.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "cli_args.h"
#include "ctl_contract.h"
#include "ctl_hints.h"

static int run_nothing(const struct cli_options *o)
{
    (void)o;
    return 0;
}

static const struct cli_command commands[] = {
    {"fail-alloc", CLI_CONTROL, 1, 1, 0, run_nothing, "fail-alloc <n>", "", NULL},
    {"log", CLI_CONTROL, 0, 0, OPT_SINCE | OPT_FOLLOW, run_nothing, "log", "", NULL},
    {"ioctl", CLI_DEVICE, 1, 1, OPT_IN | OPT_OUT_SIZE, run_nothing, "ioctl <code>", "", NULL},
    {"start", CLI_SERVICE, 0, 0, 0, run_nothing, "start", "", NULL},
};

static char stderr_text[8192];

/* Parses the command line (words, NULL-terminated) with stderr caught in stderr_text. */
static int parse(struct cli_options *o, const char *const *words)
{
    char *argv[16] = {"minwdmctl"};
    int argc = 1, saved = dup(2), rc;
    FILE *caught = tmpfile();

    while (words[argc - 1] && argc < 16) {
        argv[argc] = (char *)words[argc - 1];
        argc++;
    }
    fflush(stderr);
    if (caught)
        dup2(fileno(caught), 2);
    rc = cli_parse(argc, argv, commands, sizeof(commands) / sizeof(commands[0]), o);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    stderr_text[0] = '\0';
    if (caught) {
        rewind(caught);
        size_t n = fread(stderr_text, 1, sizeof(stderr_text) - 1, caught);
        stderr_text[n] = '\0';
        fclose(caught);
    }
    return rc;
}

static void check_says(const char *words)
{
    if (!strstr(stderr_text, words)) {
        check_at(0, words, __FILE__, __LINE__);
        fprintf(stderr, "  the message was: %s  it lacks: %s\n", stderr_text, words);
    } else {
        check_at(1, words, __FILE__, __LINE__);
    }
}

static enum cli_number_result number(const char *text, uint64_t max, unsigned flags,
                                     uint64_t *value)
{
    *value = 12345;
    return cli_number(text, 0, max, flags, value);
}

static void test_numbers(void)
{
    static const char *const not_numbers[] = {"", "-1", "+3", " 3", "3 ", "3x", "0x10", "1e3",
                                              "\xEF\xBC\x91" /* fullwidth 1 */, "--1", "1.0"};
    uint64_t value;

    for (size_t i = 0; i < sizeof(not_numbers) / sizeof(not_numbers[0]); i++) {
        CHECK_EQ(number(not_numbers[i], UINT32_MAX, CLI_DECIMAL, &value), CLI_NUMBER_NOT_A_NUMBER);
        CHECK_EQ(value, 12345); /* untouched */
    }
    CHECK_EQ(number("0", UINT32_MAX, CLI_DECIMAL, &value), CLI_NUMBER_OK);
    CHECK_EQ(value, 0);
    CHECK_EQ(number("4294967295", UINT32_MAX, CLI_DECIMAL, &value), CLI_NUMBER_OK);
    CHECK_EQ(value, 4294967295u);
    CHECK_EQ(number("4294967296", UINT32_MAX, CLI_DECIMAL, &value), CLI_NUMBER_OUT_OF_RANGE);
    CHECK_EQ(number("18446744073709551615", UINT64_MAX, CLI_DECIMAL, &value), CLI_NUMBER_OK);
    CHECK_EQ(value, UINT64_MAX);
    CHECK_EQ(number("18446744073709551616", UINT64_MAX, CLI_DECIMAL, &value),
             CLI_NUMBER_OUT_OF_RANGE);
    CHECK_EQ(number("99999999999999999999999", UINT64_MAX, CLI_DECIMAL, &value),
             CLI_NUMBER_OUT_OF_RANGE);
    CHECK_EQ(number("99999999999999999999999x", UINT64_MAX, CLI_DECIMAL, &value),
             CLI_NUMBER_NOT_A_NUMBER);
    CHECK_EQ(number("007", 10, CLI_DECIMAL, &value), CLI_NUMBER_OK); /* decimal, not octal */
    CHECK_EQ(value, 7);
    CHECK_EQ(cli_number("0", 1, 3600, CLI_DECIMAL, &value), CLI_NUMBER_OUT_OF_RANGE);

    /* Hex where documented: 0x and digits, nothing else. */
    CHECK_EQ(number("0x81572004", UINT32_MAX, CLI_HEX_ALLOWED, &value), CLI_NUMBER_OK);
    CHECK_EQ(value, 0x81572004u);
    CHECK_EQ(number("0XfF", UINT32_MAX, CLI_HEX_ALLOWED, &value), CLI_NUMBER_OK);
    CHECK_EQ(value, 255);
    CHECK_EQ(number("0x100000000", UINT32_MAX, CLI_HEX_ALLOWED, &value), CLI_NUMBER_OUT_OF_RANGE);
    CHECK_EQ(number("-0x7EA8A000", UINT32_MAX, CLI_HEX_ALLOWED, &value), CLI_NUMBER_NOT_A_NUMBER);
    CHECK_EQ(number("0x", UINT32_MAX, CLI_HEX_ALLOWED, &value), CLI_NUMBER_NOT_A_NUMBER);
    CHECK_EQ(number("0x-1", UINT32_MAX, CLI_HEX_ALLOWED, &value), CLI_NUMBER_NOT_A_NUMBER);
    CHECK_EQ(number("ff", UINT32_MAX, CLI_HEX_ALLOWED, &value), CLI_NUMBER_NOT_A_NUMBER);
}

static void test_codes_and_bytes(void)
{
    uint32_t code = 7;
    uint8_t bytes[4];

    CHECK_EQ(cli_parse_code("0x100000000", &code), CTL_EXIT_USAGE);
    CHECK_EQ(cli_parse_code("-0x7EA8A000", &code), CTL_EXIT_USAGE);
    CHECK_EQ(cli_parse_code("IOCTL_NOTHING", &code), CTL_EXIT_USAGE);
    CHECK_EQ(code, 7);
    CHECK_EQ(cli_parse_code("4294967295", &code), CTL_EXIT_OK);
    CHECK_EQ(code, 0xFFFFFFFFu);
    CHECK_EQ(cli_parse_code("IOCTL_MINWDM_ECHO", &code), CTL_EXIT_OK);
    CHECK_EQ(code, IOCTL_MINWDM_ECHO);

    CHECK_EQ(cli_parse_hex("68 69:6a-6B", bytes, sizeof(bytes)), 4);
    CHECK_EQ(bytes[0], 0x68);
    CHECK_EQ(bytes[3], 0x6B);
    CHECK_EQ(cli_parse_hex("", bytes, sizeof(bytes)), 0);
    CHECK_EQ(cli_parse_hex("6", bytes, sizeof(bytes)), -1);
    CHECK_EQ(cli_parse_hex("6g", bytes, sizeof(bytes)), -1);
    CHECK_EQ(cli_parse_hex("0102030405", bytes, sizeof(bytes)), -1); /* more than fits */
}

/* The command lines of issue 15, and what is said about them. */
static void test_command_lines(void)
{
    struct cli_options o;
    char long_name[200];

    CHECK_EQ(parse(&o, (const char *[]){"log", "--since", "-1", NULL}), CTL_EXIT_USAGE);
    check_says("--since wants a record number, 0 to 18446744073709551615: '-1' is not a number");
    CHECK_EQ(parse(&o, (const char *[]){"log", "--since", "7", NULL}), CTL_EXIT_OK);
    CHECK_EQ(o.since, 7);
    CHECK_EQ(parse(&o, (const char *[]){"--timeout", "+5", "start", NULL}), CTL_EXIT_USAGE);
    check_says("--timeout wants seconds, 1 to 3600: '+5' is not a number");
    CHECK_EQ(parse(&o, (const char *[]){"--timeout", "3601", "start", NULL}), CTL_EXIT_USAGE);
    check_says("'3601' is out of range");
    CHECK_EQ(parse(&o, (const char *[]){"--timeout", "60", "start", NULL}), CTL_EXIT_OK);
    CHECK_EQ(o.timeout_ms, 60000);
    CHECK_EQ(parse(&o, (const char *[]){"ioctl", "1", "--out-size", "1048577", NULL}),
             CTL_EXIT_USAGE);
    CHECK_EQ(parse(&o, (const char *[]){"ioctl", "1", "--out-size", "-0", NULL}), CTL_EXIT_USAGE);
    CHECK_EQ(parse(&o, (const char *[]){"ioctl", "1", "--out-size", "0", NULL}), CTL_EXIT_OK);
    CHECK_EQ(o.out_size, 0);

    /* Names longer than any fixed buffer are named whole. */
    memset(long_name, 'x', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    memcpy(long_name, "--", 2);
    CHECK_EQ(parse(&o, (const char *[]){long_name, NULL}), CTL_EXIT_USAGE);
    check_says(long_name);
    CHECK_EQ(parse(&o, (const char *[]){long_name + 2, NULL}), CTL_EXIT_USAGE);
    check_says(long_name + 2);
    check_says("unknown command");

    CHECK_EQ(parse(&o, (const char *[]){"fail-alloc", "-1", NULL}), CTL_EXIT_OK); /* an argument */
    CHECK(o.count == 1 && strcmp(o.args[0], "-1") == 0);
    CHECK_EQ(parse(&o, (const char *[]){"start", "--since", "1", NULL}), CTL_EXIT_USAGE);
    check_says("does not apply to 'start'");
    CHECK_EQ(parse(&o, (const char *[]){"--name", "", "start", NULL}), CTL_EXIT_USAGE);
    check_says("--name needs a value");
}

/* Service names as Windows keeps them; --name refuses what it would change or cut. */
static void test_service_names(void)
{
    char long_name[600];
    struct cli_options o;

    CHECK(cli_service_name_problem("hello") == NULL);
    CHECK(cli_service_name_problem("hello.kernel") == NULL);
    CHECK(cli_service_name_problem("hello.") != NULL);
    CHECK(cli_service_name_problem("hello ") != NULL);
    CHECK(cli_service_name_problem("") != NULL);
    CHECK(cli_service_name_problem("a\\b") != NULL);
    CHECK(cli_service_name_problem("a/b") != NULL);
    memset(long_name, 'x', 248);
    long_name[248] = '\0';
    CHECK(cli_service_name_problem(long_name) == NULL); /* the control device's limit */
    long_name[248] = 'y';
    long_name[249] = '\0';
    CHECK(cli_service_name_problem(long_name) != NULL);
    /* Two-byte UTF-8 characters are one UTF-16 unit each: 248 of them fit. */
    for (int i = 0; i < 248; i++)
        memcpy(long_name + 2 * (size_t)i, "\xc3\xa9", 2);
    long_name[496] = '\0';
    CHECK(cli_service_name_problem(long_name) == NULL);
    CHECK_EQ(parse(&o, (const char *[]){"start", "--name", "hello.", NULL}), 2);
    check_says("ends with a dot or a space");
    CHECK_EQ(parse(&o, (const char *[]){"start", "--name", "hello ", NULL}), 2);
    check_says("ends with a dot or a space");
    CHECK_EQ(parse(&o, (const char *[]){"start", "--name", "hello", NULL}), 0);
}

/* --filter: * and ?, comma-separated, in time linear in the product of the lengths. */
static void test_filter(void)
{
    char name[64], pattern[512];

    CHECK(cli_test_selected("parses_names", NULL));
    CHECK(cli_test_selected("parses_names", ""));
    CHECK(cli_test_selected("parses_names", "parses_*"));
    CHECK(cli_test_selected("parses_names", "x,*names"));
    CHECK(cli_test_selected("parses_names", "p?rses_names"));
    CHECK(cli_test_selected("parses_names", "*"));
    CHECK(cli_test_selected("abcabd", "*abd"));
    CHECK(!cli_test_selected("parses_names", "parses_"));
    CHECK(!cli_test_selected("parses_names", "*x*"));
    CHECK(!cli_test_selected("parses_names", "x,y"));
    CHECK(!cli_test_selected("ab", "ab?"));
    CHECK(cli_test_selected("ab", "ab**"));
    /* The pattern that took 13 s: a backtracking matcher needs 63^10 steps for it. */
    memset(name, 'a', 63);
    name[63] = '\0';
    snprintf(pattern, sizeof(pattern), "%s", "**********Q");
    clock_t start = clock();
    for (int i = 0; i < 1000; i++)
        CHECK(!cli_test_selected(name, pattern));
    memset(pattern, '*', 400);
    snprintf(pattern + 400, sizeof(pattern) - 400, "%s", "a?b");
    for (int i = 0; i < 100; i++)
        CHECK(!cli_test_selected(name, pattern));
    double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    CHECK(seconds < 2.0);
}

int main(void)
{
    test_service_names();
    test_filter();
    test_numbers();
    test_codes_and_bytes();
    test_command_lines();
    return check_done("test_ctl_args");
}
