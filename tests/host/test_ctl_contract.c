/*
 * minwdmctl's names for the contract (user/ctl_contract.c): every `#define IOCTL_` of
 * include/minwdm/ioctl.h and control.h, read from the headers themselves, is in the one table,
 * under its own name and with a code no other name has, and `ioctl <name>` takes it in any case;
 * every event and benchmark path of the contract's enums has its name.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cli_args.h"
#include "ctl_contract.h"
#include "ctl_hints.h"

#ifndef MINWDM_INCLUDE_DIR
#error "the build gives MINWDM_INCLUDE_DIR, where include/minwdm is"
#endif

static int names_found;

static void lowercase(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* The name is the table's, exactly, and the command line takes it in any case. */
static void check_name(const char *name)
{
    char lower[128];
    uint32_t by_table = 0, by_name = 0, by_lower = 0;
    const char *listed = NULL;

    names_found++;
    if (ctl_code_by_name(name, &by_table))
        listed = ctl_code_name(by_table);
    if (!listed || strcmp(listed, name) != 0) {
        check_at(0, name, __FILE__, __LINE__);
        fprintf(stderr, "  %s is defined in the contract; the table has %s\n", name,
                listed ? listed : "no such name");
        return;
    }
    snprintf(lower, sizeof(lower), "%s", name);
    lowercase(lower);
    CHECK_EQ(cli_parse_code(name, &by_name), CTL_EXIT_OK);
    CHECK_EQ(by_name, by_table);
    CHECK_EQ(cli_parse_code(lower, &by_lower), CTL_EXIT_OK);
    CHECK_EQ(by_lower, by_table);
}

/* Every "#define IOCTL_<NAME>" at the start of a line of the header. */
static void check_header(const char *file)
{
    char path[512], line[512];
    FILE *header;

    snprintf(path, sizeof(path), "%s/minwdm/%s", MINWDM_INCLUDE_DIR, file);
    header = fopen(path, "r");
    if (!header) {
        check_at(0, "the header opens", path, 0);
        return;
    }
    while (fgets(line, sizeof(line), header)) {
        char name[128];
        if (sscanf(line, " # define %127[A-Za-z0-9_]", name) == 1 && strncmp(name, "IOCTL_", 6) == 0)
            check_name(name);
    }
    fclose(header);
}

static void check_codes_distinct(void)
{
    for (size_t i = 0; i < ctl_code_count; i++)
        for (size_t j = i + 1; j < ctl_code_count; j++)
            if (ctl_codes[i].code == ctl_codes[j].code) {
                check_at(0, "two names, one code", __FILE__, __LINE__);
                fprintf(stderr, "  %s and %s are both 0x%08X\n", ctl_codes[i].name,
                        ctl_codes[j].name, (unsigned)ctl_codes[i].code);
            }
}

int main(void)
{
    uint32_t value = 0;

    check_header("ioctl.h");
    check_header("control.h");
    CHECK_EQ(names_found, ctl_code_count); /* and nothing in the table the headers lack */
    CHECK(names_found >= 13);
    check_codes_distinct();
    CHECK_EQ(ctl_code_name(0x12345678u), NULL);
    CHECK(!ctl_code_by_name("IOCTL_MINWDM", &value));
    CHECK(!ctl_code_by_name("IOCTL_MINWDM_ECHO_", &value));

    for (uint32_t i = 0; i < MINWDM_EVENT_COUNT; i++)
        CHECK(ctl_event_name(i) != NULL);
    CHECK_EQ(ctl_event_name(MINWDM_EVENT_COUNT), NULL);
    CHECK_EQ(strcmp(ctl_event_name(MINWDM_EVENT_DOUBLE_FREE), "double_frees"), 0);
    for (uint32_t i = 0; i < MINWDM_BENCH_PATH_COUNT; i++) {
        const char *name = ctl_bench_path_name(i);
        CHECK(name != NULL);
        CHECK(name && ctl_bench_path_by_name(name, &value) && value == i);
    }
    CHECK_EQ(ctl_bench_path_name(MINWDM_BENCH_PATH_COUNT), NULL);
    CHECK(!ctl_bench_path_by_name("Pool", &value));
    CHECK(strcmp(ctl_pool_name(MINWDM_POOL_WITH_TAG_NX), "ExAllocatePoolWithTag(NonPagedPoolNx)") == 0);
    CHECK_EQ(strcmp(ctl_pool_name(99), "unknown"), 0);
    /* Who zeroes: only ExAllocatePool2 on Windows is trusted to (Wine 10's does not zero). */
    CHECK_EQ(strcmp(ctl_pool_name(MINWDM_POOL_EX_ALLOCATE_POOL2_UNZEROED), "ExAllocatePool2"), 0);
    CHECK_EQ(strcmp(ctl_pool_zeroed_by(MINWDM_POOL_EX_ALLOCATE_POOL2), "the pool"), 0);
    CHECK_EQ(strcmp(ctl_pool_zeroed_by(MINWDM_POOL_EX_ALLOCATE_POOL2_UNZEROED), "minwdm"), 0);
    CHECK_EQ(strcmp(ctl_pool_zeroed_by(MINWDM_POOL_WITH_TAG_NX), "minwdm"), 0);
    return check_done("test_ctl_contract");
}
