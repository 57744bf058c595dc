/*
 * wdmimage's reader of __try scope tables (toolchain/wdmimage/seh_scopes.c) and the unwind rule
 * that calls it (pe_rules.c), over a small PE32+ image made here: a .text with two functions and
 * two handler thunks (`jmp [rip+disp32]` through the import address table: __C_specific_handler
 * and __CxxFrameHandler3), a .rdata with the imports, the unwind information (.xdata) and the
 * function table (.pdata). Sound tables pass; empty, misplaced and damaged ones (sizes and
 * addresses out of range) get a clear verdict, never a crash (AddressSanitizer watches).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pe_rules.h"
#include "seh_scopes.h"

enum {
    FILE_SIZE = 0x800,
    PE_OFFSET = 0x40,
    OPTIONAL_SIZE = PE_OH_DATA_DIRECTORIES + 16 * 8,
    TEXT_RVA = 0x1000, TEXT_RAW = 0x200, TEXT_SIZE = 0x200,
    RDATA_RVA = 0x2000, RDATA_RAW = 0x400, RDATA_SIZE = 0x400,
    FUNCTION_A = 0x1000, FUNCTION_A_END = 0x1040, /* where the __try scopes lie */
    FUNCTION_B = 0x1040, FUNCTION_B_END = 0x1080,
    C_HANDLER = 0x1100,   /* jmp [__imp___C_specific_handler] */
    CXX_HANDLER = 0x1110, /* jmp [__imp___CxxFrameHandler3] */
    IMPORTS = 0x2000, LOOKUP = 0x2040, IAT = 0x2060, MODULE_NAME = 0x2080,
    C_NAME = 0x20A0, CXX_NAME = 0x20C0,
    XDATA = 0x2100, PDATA = 0x2300,
    EHANDLER = 1, UHANDLER = 2, CHAININFO = 4, /* the unwind information's flags */
};

struct scope {
    uint32_t begin, end, handler, target;
};

static uint8_t *file;

static void put16(uint32_t offset, uint16_t value)
{
    file[offset] = (uint8_t)value;
    file[offset + 1] = (uint8_t)(value >> 8);
}

static void put32(uint32_t offset, uint32_t value)
{
    put16(offset, (uint16_t)value);
    put16(offset + 2, (uint16_t)(value >> 16));
}

/* A string with its NUL (the bytes after it are zero already). */
static void put_text(uint32_t offset, const char *string)
{
    memcpy(file + offset, string, strlen(string) + 1);
}

static uint32_t text(uint32_t rva)
{
    return rva - TEXT_RVA + TEXT_RAW;
}

static uint32_t rdata(uint32_t rva)
{
    return rva - RDATA_RVA + RDATA_RAW;
}

static void section(unsigned index, const char *name, uint32_t rva, uint32_t raw, uint32_t size,
                    uint32_t flags)
{
    uint32_t header = PE_OFFSET + 4 + 20 + OPTIONAL_SIZE + index * PE_SECTION_HEADER_SIZE;

    put_text(header, name);
    put32(header + 8, size);
    put32(header + 12, rva);
    put32(header + 16, size);
    put32(header + 20, raw);
    put32(header + 36, flags);
}

/* A jmp through the import address table slot `slot`, at rva (REX.W-prefixed when asked). */
static void thunk(uint32_t rva, uint32_t slot, int rex)
{
    uint32_t at = text(rva);

    if (rex)
        file[at++] = 0x48;
    file[at] = 0xFF;
    file[at + 1] = 0x25;
    put32(at + 2, slot - (rva + (uint32_t)rex + 6));
}

static void build_file(void)
{
    uint32_t optional = PE_OFFSET + 4 + 20;

    free(file);
    file = calloc(1, FILE_SIZE);
    file[0] = 'M';
    file[1] = 'Z';
    put32(0x3C, PE_OFFSET);
    put_text(PE_OFFSET, "PE"); /* "PE\0\0" */
    put16(PE_OFFSET + 4 + PE_FH_MACHINE, 0x8664);
    put16(PE_OFFSET + 4 + PE_FH_NUMBER_OF_SECTIONS, 2);
    put16(PE_OFFSET + 4 + PE_FH_SIZE_OF_OPTIONAL_HEADER, OPTIONAL_SIZE);
    put16(PE_OFFSET + 4 + PE_FH_CHARACTERISTICS, 0x22);
    put16(optional + PE_OH_MAGIC, 0x20B);
    put32(optional + PE_OH_SECTION_ALIGNMENT, 0x1000);
    put32(optional + PE_OH_FILE_ALIGNMENT, 0x200);
    put32(optional + PE_OH_SIZE_OF_IMAGE, 0x3000);
    put32(optional + PE_OH_SIZE_OF_HEADERS, TEXT_RAW);
    put16(optional + PE_OH_SUBSYSTEM, 1);
    put32(optional + PE_OH_NUMBER_OF_RVA_AND_SIZES, 16);
    put32(optional + PE_OH_DATA_DIRECTORIES + PE_DIR_IMPORT * 8, IMPORTS);
    put32(optional + PE_OH_DATA_DIRECTORIES + PE_DIR_IMPORT * 8 + 4, 40);
    section(0, ".text", TEXT_RVA, TEXT_RAW, TEXT_SIZE,
            PE_SCN_CNT_CODE | PE_SCN_MEM_EXECUTE | PE_SCN_MEM_READ);
    section(1, ".rdata", RDATA_RVA, RDATA_RAW, RDATA_SIZE,
            PE_SCN_CNT_INITIALIZED_DATA | PE_SCN_MEM_READ);
    /* ntoskrnl.exe: __C_specific_handler, __CxxFrameHandler3 (by name, hint 0). */
    put32(rdata(IMPORTS), LOOKUP);
    put32(rdata(IMPORTS) + 12, MODULE_NAME);
    put32(rdata(IMPORTS) + 16, IAT);
    for (uint32_t table = LOOKUP; table <= IAT; table += IAT - LOOKUP) {
        put32(rdata(table), C_NAME);
        put32(rdata(table) + 8, CXX_NAME);
    }
    put_text(rdata(MODULE_NAME), "ntoskrnl.exe");
    put_text(rdata(C_NAME) + 2, "__C_specific_handler");
    put_text(rdata(CXX_NAME) + 2, "__CxxFrameHandler3");
    thunk(C_HANDLER, IAT, 0);
    thunk(CXX_HANDLER, IAT + 8, 1);
}

/* Unwind information at rva: version 1, `codes` unwind code slots (zero), the handler and its
 * scope table of `count` entries, of which the first `written` are scopes[]. */
static void unwind_info(uint32_t rva, unsigned flags, unsigned codes, uint32_t handler,
                        uint32_t count, const struct scope *scopes, unsigned written)
{
    uint32_t at = rdata(rva), data = at + 4 + ((codes + 1u) & ~1u) * 2;

    file[at] = (uint8_t)(1 | flags << 3);
    file[at + 2] = (uint8_t)codes;
    if (data + 8 > RDATA_RAW + RDATA_SIZE)
        return; /* the handler field lies outside the section: nothing more to write */
    put32(data, handler);
    put32(data + 4, count);
    for (unsigned i = 0; i < written; i++) {
        put32(data + 8 + i * 16, scopes[i].begin);
        put32(data + 12 + i * 16, scopes[i].end);
        put32(data + 16 + i * 16, scopes[i].handler);
        put32(data + 20 + i * 16, scopes[i].target);
    }
}

static struct pe_image image;

static void open_image(void)
{
    char err[128];
    uint8_t *copy = malloc(FILE_SIZE);

    memcpy(copy, file, FILE_SIZE);
    pe_close(&image);
    if (pe_open(&image, copy, FILE_SIZE, err, sizeof(err))) {
        fprintf(stderr, "the crafted image does not open: %s\n", err);
        exit(2);
    }
}

static char message[320];

/* seh_scope_problem over function A with the unwind information at XDATA. */
static int verdict_at(uint32_t unwind, uint32_t begin, uint32_t end)
{
    open_image();
    message[0] = '\0';
    int problem = seh_scope_problem(&image, begin, end, unwind, message, sizeof(message));
    if (problem && !message[0])
        fprintf(stderr, "a finding without a message\n");
    return problem;
}

static int verdict(void)
{
    return verdict_at(XDATA, FUNCTION_A, FUNCTION_A_END);
}

static int said(const char *text)
{
    if (strstr(message, text))
        return 1;
    fprintf(stderr, "message \"%s\" lacks \"%s\"\n", message, text);
    return 0;
}

static const struct scope inside = {FUNCTION_A + 4, FUNCTION_A + 0x20, 1, FUNCTION_A + 0x30};

static void sound_tables(void)
{
    const struct scope two[] = {inside, {FUNCTION_A + 0x20, FUNCTION_A_END + 1, 0x1234, 0}};

    build_file();
    unwind_info(XDATA, EHANDLER, 2, C_HANDLER, 1, &inside, 1);
    CHECK_EQ(verdict(), 0);
    unwind_info(XDATA, EHANDLER | UHANDLER, 3, C_HANDLER, 2, two, 2); /* to = end + 1 is in */
    CHECK_EQ(verdict(), 0);
    /* Not __C_specific_handler, no handler, chained, or the linker's odd-RVA convention: not
     * this reader's to judge, even with an empty table. */
    unwind_info(XDATA, EHANDLER, 0, CXX_HANDLER, 0, NULL, 0);
    CHECK_EQ(verdict(), 0);
    unwind_info(XDATA, 0, 0, C_HANDLER, 0, NULL, 0);
    CHECK_EQ(verdict(), 0);
    unwind_info(XDATA, EHANDLER | CHAININFO, 0, C_HANDLER, 0, NULL, 0);
    CHECK_EQ(verdict(), 0);
    CHECK_EQ(verdict_at(XDATA | 1, FUNCTION_A, FUNCTION_A_END), 0);
}

static void unprotected_and_misplaced(void)
{
    struct scope bad[] = {inside, inside};

    build_file();
    unwind_info(XDATA, EHANDLER, 0, C_HANDLER, 0, NULL, 0);
    CHECK_EQ(verdict(), 1);
    CHECK(said("protects nothing (an empty scope table)"));
    CHECK(said("0x1000-0x1040"));
    thunk(C_HANDLER, IAT, 1); /* the same jump with a REX.W prefix */
    CHECK_EQ(verdict(), 1);
    bad[1].begin = FUNCTION_B; /* in the next function */
    bad[1].end = FUNCTION_B + 8;
    unwind_info(XDATA, EHANDLER, 0, C_HANDLER, 2, bad, 2);
    CHECK_EQ(verdict(), 1);
    CHECK(said("__try scope 0x1040-0x1048 outside it"));
    bad[1] = (struct scope){FUNCTION_A + 0x10, FUNCTION_A + 0x10, 1, 0}; /* empty */
    unwind_info(XDATA, EHANDLER, 0, C_HANDLER, 2, bad, 2);
    CHECK_EQ(verdict(), 1);
    bad[1] = (struct scope){FUNCTION_A + 0x10, FUNCTION_A_END + 2, 1, 0}; /* past the end */
    unwind_info(XDATA, EHANDLER, 0, C_HANDLER, 2, bad, 2);
    CHECK_EQ(verdict(), 1);
    bad[1] = (struct scope){FUNCTION_A - 1, FUNCTION_A + 8, 1, 0}; /* before the start */
    unwind_info(XDATA, EHANDLER, 0, C_HANDLER, 2, bad, 2);
    CHECK_EQ(verdict(), 1);
}

static void sizes_out_of_range(void)
{
    build_file();
    /* More entries than the section holds, than any function has, or than 32 bits allow. */
    unwind_info(XDATA, EHANDLER, 0, C_HANDLER, 100, &inside, 1);
    CHECK_EQ(verdict(), 1);
    CHECK(said("a scope table of 100 entries, outside the image"));
    unwind_info(XDATA, EHANDLER, 0, C_HANDLER, 4097, &inside, 1);
    CHECK_EQ(verdict(), 1);
    CHECK(said("4097 entries"));
    unwind_info(XDATA, EHANDLER, 0, C_HANDLER, 0xFFFFFFFFu, &inside, 1);
    CHECK_EQ(verdict(), 1);
    CHECK(said("4294967295 entries"));
    /* 255 unwind codes put the handler field past the end of .rdata. */
    build_file();
    unwind_info(PDATA, EHANDLER, 255, C_HANDLER, 1, &inside, 1);
    CHECK_EQ(verdict_at(PDATA, FUNCTION_A, FUNCTION_A_END), 1);
    CHECK(said("names an exception handler outside the image"));
    /* Unwind information in the last bytes of the section, or outside every section. */
    CHECK_EQ(verdict_at(RDATA_RVA + RDATA_SIZE - 2, FUNCTION_A, FUNCTION_A_END), 0);
    CHECK_EQ(verdict_at(0x9000, FUNCTION_A, FUNCTION_A_END), 0);
    CHECK_EQ(verdict_at(0xFFFFFFFEu, FUNCTION_A, FUNCTION_A_END), 0);
}

/* A handler that is no thunk of an import the reader can name: it cannot say it is
 * __C_specific_handler, so it says nothing. */
static void handlers_it_cannot_name(void)
{
    build_file();
    unwind_info(XDATA, EHANDLER, 0, 0x9000, 0, NULL, 0); /* outside the image */
    CHECK_EQ(verdict(), 0);
    unwind_info(XDATA, EHANDLER, 0, TEXT_RVA + TEXT_SIZE - 3, 0, NULL, 0); /* 3 bytes left */
    CHECK_EQ(verdict(), 0);
    unwind_info(XDATA, EHANDLER, 0, FUNCTION_A, 0, NULL, 0); /* not a jmp */
    CHECK_EQ(verdict(), 0);
    thunk(C_HANDLER, IAT + 4, 0); /* a slot between two */
    CHECK_EQ(verdict(), 0);
    thunk(C_HANDLER, IAT + 0x10000, 0); /* past every thunk */
    CHECK_EQ(verdict(), 0);
    thunk(C_HANDLER, 0x7FFFFFF0u, 0); /* far outside */
    CHECK_EQ(verdict(), 0);
    build_file();
    unwind_info(XDATA, EHANDLER, 0, C_HANDLER, 0, NULL, 0);
    put32(rdata(LOOKUP), 0x9000); /* its name outside the image */
    CHECK_EQ(verdict(), 0);
    put32(rdata(LOOKUP) + 4, 0x80000000u); /* by ordinal */
    CHECK_EQ(verdict(), 0);
    build_file();
    unwind_info(XDATA, EHANDLER, 0, C_HANDLER, 0, NULL, 0);
    put32(rdata(IMPORTS), 0); /* no lookup table: the names are read from the IAT */
    CHECK_EQ(verdict(), 1);
    memset(file + rdata(C_NAME) + 2, 'x', RDATA_RAW + RDATA_SIZE - rdata(C_NAME) - 2); /* no NUL */
    CHECK_EQ(verdict(), 0);
    build_file();
    unwind_info(XDATA, EHANDLER, 0, C_HANDLER, 0, NULL, 0);
    put32(PE_OFFSET + 4 + 20 + PE_OH_DATA_DIRECTORIES + PE_DIR_IMPORT * 8, 0x9000);
    CHECK_EQ(verdict(), 0); /* the import directory outside the image */
}

/* --- the unwind rule over .pdata --- */

static unsigned unwind_findings;
static char unwind_message[512];

static void collect(void *context, enum pe_rule rule, const char *text)
{
    (void)context;
    if (rule != PE_RULE_UNWIND)
        return;
    unwind_findings++;
    snprintf(unwind_message, sizeof(unwind_message), "%s", text);
}

static void function_table(uint32_t size)
{
    uint32_t directory = PE_OFFSET + 4 + 20 + PE_OH_DATA_DIRECTORIES + PE_DIR_EXCEPTION * 8;

    put32(directory, PDATA);
    put32(directory + 4, size);
}

static void function_entry(unsigned index, uint32_t begin, uint32_t end, uint32_t unwind)
{
    put32(rdata(PDATA) + index * 12, begin);
    put32(rdata(PDATA) + index * 12 + 4, end);
    put32(rdata(PDATA) + index * 12 + 8, unwind);
}

/* The unwind rule's findings: their number, the last one's text in unwind_message. */
static unsigned unwind_rule(void)
{
    static const struct pe_policy policy = {0};

    open_image();
    unwind_findings = 0;
    unwind_message[0] = '\0';
    pe_check(&image, &policy, collect, NULL);
    return unwind_findings;
}

static int rule_said(const char *text)
{
    if (strstr(unwind_message, text))
        return 1;
    fprintf(stderr, "unwind finding \"%s\" lacks \"%s\"\n", unwind_message, text);
    return 0;
}

static void unwind_rule_cases(void)
{
    build_file();
    unwind_info(XDATA, EHANDLER, 0, C_HANDLER, 1, &inside, 1);
    unwind_info(XDATA + 0x40, 0, 0, 0, 0, NULL, 0);
    function_table(24);
    function_entry(0, FUNCTION_A, FUNCTION_A_END, XDATA);
    function_entry(1, FUNCTION_B, FUNCTION_B_END, XDATA + 0x40);
    CHECK_EQ(unwind_rule(), 0);
    /* A __try that protects nothing, found through the function table. */
    unwind_info(XDATA, EHANDLER, 0, C_HANDLER, 0, NULL, 0);
    CHECK_EQ(unwind_rule(), 1);
    CHECK(rule_said("protects nothing"));
    unwind_info(XDATA, EHANDLER, 0, C_HANDLER, 0xFFFFFFFFu, NULL, 0);
    CHECK_EQ(unwind_rule(), 1);
    CHECK(rule_said("outside the image"));
    unwind_info(XDATA, EHANDLER, 0, C_HANDLER, 1, &inside, 1);
    /* The table itself damaged: a size that is no multiple of 12, or that leaves the section. */
    function_table(23);
    CHECK_EQ(unwind_rule(), 1);
    CHECK(rule_said("is malformed"));
    function_table(0xFFFFFFF4u);
    CHECK_EQ(unwind_rule(), 1);
    CHECK(rule_said("is malformed"));
    function_table(252); /* to the end of .rdata: zero entries after the two */
    CHECK_EQ(unwind_rule(), 1);
    CHECK(rule_said("unwind entry 2 covers 0x0-0x0, which is not code"));
    function_table(24);
    function_entry(1, FUNCTION_B_END, FUNCTION_B, XDATA + 0x40); /* reversed */
    CHECK_EQ(unwind_rule(), 1);
    CHECK(rule_said("which is not code"));
    function_entry(1, RDATA_RVA, RDATA_RVA + 8, XDATA + 0x40); /* data, not code */
    CHECK_EQ(unwind_rule(), 1);
    CHECK(rule_said("which is not code"));
    function_entry(1, FUNCTION_A, FUNCTION_A_END, XDATA + 0x40); /* the same function again */
    CHECK_EQ(unwind_rule(), 1);
    CHECK(rule_said("out of order"));
    function_entry(1, FUNCTION_B, FUNCTION_B_END, 0x9000);
    CHECK_EQ(unwind_rule(), 1);
    CHECK(rule_said("points at 0x9000, outside the image"));
}

/* Random bytes over the unwind information and the function table: a verdict every time, with a
 * message when it is a finding, and no read outside the file (AddressSanitizer). */
static void random_damage(void)
{
    unsigned seed = 12345, findings = 0;

    for (unsigned round = 0; round < 2000; round++) {
        build_file();
        unwind_info(XDATA, EHANDLER, 2, C_HANDLER, 1, &inside, 1);
        function_table(24);
        function_entry(0, FUNCTION_A, FUNCTION_A_END, XDATA);
        function_entry(1, FUNCTION_B, FUNCTION_B_END, XDATA);
        for (unsigned n = 0; n < 1 + round % 8; n++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t at = rdata(XDATA) + (seed >> 8) % 0x240; /* .xdata up to past .pdata */
            file[at] = (uint8_t)(seed >> 24);
        }
        int problem = verdict();
        CHECK(problem == 0 || (problem == 1 && message[0]));
        findings += unwind_rule();
    }
    printf("random damage: %u unwind findings in 2000 images\n", findings);
}

int main(void)
{
    sound_tables();
    unprotected_and_misplaced();
    sizes_out_of_range();
    handlers_it_cannot_name();
    unwind_rule_cases();
    random_damage();
    pe_close(&image);
    free(file);
    return check_done("test_seh_scopes");
}
