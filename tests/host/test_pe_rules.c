/*
 * wdmimage's rules against images made bad on purpose: each mutation of the real, fixed driver
 * must be reported under its rule; what can be fixed must come back clean; the CLI must exit 1
 * on a bad image and 0 once fixed; random damage must never crash the parser. The signed driver
 * passes with --signed, the unsigned one does not, and a damaged signature is reported.
 *
 *   test_pe_rules <fixed.sys> <linker-output.sys> <wdmimage> <scratch-dir> [<signed.sys>]
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "pe_rules.h"

/* An allocation sized from a damaged header (fix once asked for 8 GiB) stops the test at once,
 * with AddressSanitizer's report of the size asked for and this limit, instead of swapping. */
/* (The sanitizer's own name: reserved for the implementation, which it is here.) */
const char *__asan_default_options(void)
{
    return "max_allocation_size_mb=256";
}

static const char *fixed_path, *raw_path, *wdmimage, *scratch, *signed_path;
static const struct pe_policy strict = {0};

struct findings {
    unsigned mask;
    unsigned count;
};

static void collect(void *context, enum pe_rule rule, const char *message)
{
    struct findings *f = context;

    (void)message;
    f->mask |= 1u << rule;
    f->count++;
}

static unsigned rules_of(const struct pe_image *image)
{
    struct findings f = {0, 0};

    pe_check(image, &strict, collect, &f);
    return f.mask;
}

/* The rules image breaks must be exactly wanted; prints both masks when they are not. */
static void check_rules(const struct pe_image *image, unsigned wanted, const char *what)
{
    unsigned found = rules_of(image);

    if (found != wanted)
        fprintf(stderr, "%s: findings 0x%x, wanted 0x%x\n", what, found, wanted);
    CHECK_EQ(found, wanted);
}

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = malloc(1 << 20);

    *size = f && data ? fread(data, 1, 1 << 20, f) : 0;
    if (f)
        fclose(f);
    if (*size == 0) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    return data;
}

static void open_copy(const char *path, struct pe_image *image)
{
    size_t size;
    uint8_t *data = read_file(path, &size);
    char err[256];

    if (pe_open(image, data, size, err, sizeof(err))) {
        fprintf(stderr, "%s: %s\n", path, err);
        exit(2);
    }
}

static int section_named(const struct pe_image *image, const char *name)
{
    for (unsigned i = 0; i < image->section_count; i++)
        if (strcmp(pe_section(image, i).name, name) == 0)
            return (int)i;
    return -1;
}

static void set_section_flags(struct pe_image *image, int index, uint32_t set, uint32_t clear)
{
    size_t field = pe_section_header(image, (unsigned)index) + 36;

    pe_write32(image, field, (pe_read32(image, field) | set) & ~clear);
}

static void reseal(struct pe_image *image)
{
    pe_write32(image, image->optional_header + PE_OH_CHECKSUM, pe_compute_checksum(image));
}

enum mutation {
    BAD_CHECKSUM,
    WRITABLE_CODE,
    NO_RELOCATIONS,
    RELOCS_STRIPPED,
    EXPORT_TABLE,
    INIT_NOT_DISCARDABLE,
    USER_MODE_IMPORT,
    DELAY_IMPORT,
    EXECUTABLE_IAT,
    SYMBOL_TABLE,
    SMALL_ALIGNMENT,
    NO_NX,
    WRONG_MACHINE,
    NOT_NATIVE,
    UNSORTED_UNWIND,
    PAGEABLE_TEXT_NOT_PAGED,
    TEXT_NOT_MARKED,
    DISCARDABLE_PAGE,
    DLL_FLAG,
    OLD_SUBSYSTEM_VERSION,
    MUTATION_COUNT
};

/* extra: findings a mutation may drag along. GNU ld's IAT lives in a writable .idata, so making
 * it executable also makes it W+X; lld's shares .rdata with the CodeView record, which must not
 * be executable; an INIT that is not discardable is a resident section not marked so. */
static const struct {
    const char *name;
    enum pe_rule rule;
    int fixable;
    unsigned extra;
} mutations[MUTATION_COUNT] = {
    [BAD_CHECKSUM] = {"bad checksum", PE_RULE_CHECKSUM, 1},
    [WRITABLE_CODE] = {"writable code", PE_RULE_WRITE_EXECUTE, 0},
    [NO_RELOCATIONS] = {"no relocation table", PE_RULE_RELOCATIONS, 1},
    [RELOCS_STRIPPED] = {"relocations stripped", PE_RULE_RELOCATIONS, 0},
    [EXPORT_TABLE] = {"export table", PE_RULE_EXPORTS, 1},
    [INIT_NOT_DISCARDABLE] = {"INIT not discardable", PE_RULE_INIT_DISCARDABLE, 1,
                              1u << PE_RULE_PAGING},
    [USER_MODE_IMPORT] = {"import from msvcrt.dll", PE_RULE_IMPORTS, 0},
    [DELAY_IMPORT] = {"delay-load imports", PE_RULE_IMPORTS, 0},
    [EXECUTABLE_IAT] = {"executable IAT", PE_RULE_IAT, 0,
                        1u << PE_RULE_WRITE_EXECUTE | 1u << PE_RULE_DEBUG_INFO},
    [SYMBOL_TABLE] = {"COFF symbol table", PE_RULE_LEFTOVERS, 1},
    [SMALL_ALIGNMENT] = {"512-byte section alignment", PE_RULE_ALIGNMENT, 0},
    [NO_NX] = {"no NX_COMPAT", PE_RULE_NX_DYNAMIC_BASE, 1},
    [WRONG_MACHINE] = {"i386 machine", PE_RULE_FORMAT, 0},
    [NOT_NATIVE] = {"console subsystem", PE_RULE_FORMAT, 0},
    [UNSORTED_UNWIND] = {"unsorted exception directory", PE_RULE_UNWIND, 0},
    [PAGEABLE_TEXT_NOT_PAGED] = {"PAGE marked not paged", PE_RULE_PAGING, 1},
    [TEXT_NOT_MARKED] = {".text not marked not paged", PE_RULE_PAGING, 1},
    [DISCARDABLE_PAGE] = {"PAGE discardable", PE_RULE_PAGING, 0},
    [DLL_FLAG] = {"IMAGE_FILE_DLL", PE_RULE_HEADER, 1},
    [OLD_SUBSYSTEM_VERSION] = {"subsystem version 6.1", PE_RULE_HEADER, 1},
};

static void mutate(struct pe_image *image, enum mutation m)
{
    uint32_t rva, size;
    size_t offset;
    int text = section_named(image, ".text");

    switch (m) {
    case BAD_CHECKSUM:
        pe_write32(image, image->optional_header + PE_OH_CHECKSUM,
                   pe_compute_checksum(image) ^ 0x10);
        return; /* no reseal */
    case WRITABLE_CODE:
        set_section_flags(image, text, PE_SCN_MEM_WRITE, 0);
        break;
    case NO_RELOCATIONS:
        pe_set_directory(image, PE_DIR_BASERELOC, 0, 0);
        break;
    case RELOCS_STRIPPED: {
        size_t field = image->file_header + PE_FH_CHARACTERISTICS;
        pe_write16(image, field, pe_read16(image, field) | PE_FILE_RELOCS_STRIPPED);
        break;
    }
    case EXPORT_TABLE:
        pe_directory(image, PE_DIR_IMPORT, &rva, &size);
        pe_set_directory(image, PE_DIR_EXPORT, rva, 40);
        break;
    case INIT_NOT_DISCARDABLE:
        set_section_flags(image, section_named(image, "INIT"), 0, PE_SCN_MEM_DISCARDABLE);
        break;
    case USER_MODE_IMPORT:
        pe_directory(image, PE_DIR_IMPORT, &rva, &size);
        pe_rva_to_offset(image, rva, 20, &offset);
        pe_rva_to_offset(image, pe_read32(image, offset + 12), 12, &offset);
        memcpy(image->data + offset, "msvcrt.dll", 11); /* over "ntoskrnl.exe" */
        break;
    case DELAY_IMPORT:
        pe_directory(image, PE_DIR_IMPORT, &rva, &size);
        pe_set_directory(image, PE_DIR_DELAY_IMPORT, rva, 32);
        break;
    case EXECUTABLE_IAT:
        pe_directory(image, PE_DIR_IAT, &rva, &size);
        set_section_flags(image, pe_section_of_rva(image, rva), PE_SCN_MEM_EXECUTE, 0);
        break;
    case SYMBOL_TABLE:
        pe_write32(image, image->file_header + PE_FH_POINTER_TO_SYMBOL_TABLE,
                   (uint32_t)image->size);
        pe_write32(image, image->file_header + PE_FH_NUMBER_OF_SYMBOLS, 3);
        break;
    case SMALL_ALIGNMENT:
        pe_write32(image, image->optional_header + PE_OH_SECTION_ALIGNMENT, 0x200);
        break;
    case NO_NX: {
        size_t field = image->optional_header + PE_OH_DLL_CHARACTERISTICS;
        pe_write16(image, field, pe_read16(image, field) & ~PE_DLL_NX_COMPAT);
        break;
    }
    case WRONG_MACHINE:
        pe_write16(image, image->file_header + PE_FH_MACHINE, 0x14C);
        break;
    case NOT_NATIVE:
        pe_write16(image, image->optional_header + PE_OH_SUBSYSTEM, 3);
        break;
    case UNSORTED_UNWIND: { /* swap the first two entries */
        uint8_t entry[12];
        pe_directory(image, PE_DIR_EXCEPTION, &rva, &size);
        pe_rva_to_offset(image, rva, 24, &offset);
        memcpy(entry, image->data + offset, 12);
        memmove(image->data + offset, image->data + offset + 12, 12);
        memcpy(image->data + offset + 12, entry, 12);
        break;
    }
    case PAGEABLE_TEXT_NOT_PAGED:
        set_section_flags(image, section_named(image, "PAGE"), PE_SCN_MEM_NOT_PAGED, 0);
        break;
    case TEXT_NOT_MARKED:
        set_section_flags(image, text, 0, PE_SCN_MEM_NOT_PAGED);
        break;
    case DISCARDABLE_PAGE:
        set_section_flags(image, section_named(image, "PAGE"), PE_SCN_MEM_DISCARDABLE, 0);
        break;
    case DLL_FLAG: {
        size_t field = image->file_header + PE_FH_CHARACTERISTICS;
        pe_write16(image, field, pe_read16(image, field) | PE_FILE_DLL);
        break;
    }
    case OLD_SUBSYSTEM_VERSION:
        pe_write16(image, image->optional_header + PE_OH_MAJOR_SUBSYSTEM_VERSION, 6);
        pe_write16(image, image->optional_header + PE_OH_MAJOR_SUBSYSTEM_VERSION + 2, 1);
        break;
    case MUTATION_COUNT:
        break;
    }
    reseal(image);
}

static void test_good_images(void)
{
    struct pe_image image;

    open_copy(fixed_path, &image);
    check_rules(&image, 0, "the build's fixed image");
    CHECK(section_named(&image, "INIT") >= 0); /* the driver puts DriverEntry there */
    CHECK(section_named(&image, "PAGE") >= 0); /* and its PASSIVE_LEVEL-only code there */
    pe_close(&image);

    /* The linker's own output is the first bad image: lld leaves the checksum at 0 and neither
     * linker marks INIT discardable. */
    open_copy(raw_path, &image);
    unsigned raw = rules_of(&image);
    CHECK(raw & (1u << PE_RULE_INIT_DISCARDABLE));
    CHECK(raw != 0);
    struct findings left = {0, 0};
    CHECK_EQ(pe_fix(&image, &strict, NULL, NULL, collect, &left), 0);
    CHECK_EQ(left.count, 0);
    pe_close(&image);
}

static void test_mutations(void)
{
    for (int m = 0; m < MUTATION_COUNT; m++) {
        struct pe_image image;
        open_copy(fixed_path, &image);
        mutate(&image, (enum mutation)m);
        unsigned found = rules_of(&image);
        unsigned wanted = 1u << mutations[m].rule;
        if (!(found & wanted))
            fprintf(stderr, "mutation '%s' not reported as %s (found 0x%x)\n", mutations[m].name,
                    pe_rule_name(mutations[m].rule), found);
        CHECK(found & wanted);
        if (found & ~(wanted | mutations[m].extra))
            fprintf(stderr, "mutation '%s': unexpected findings 0x%x\n", mutations[m].name, found);
        CHECK_EQ((found & ~(wanted | mutations[m].extra)), 0);

        /* An image whose section names live in the string table (GCC's, with .gnu_debuglink)
         * cannot lose its symbol table: fix refuses instead. */
        int fixable = mutations[m].fixable && !(m == SYMBOL_TABLE && image.string_table);
        struct findings left = {0, 0};
        unsigned remaining = pe_fix(&image, &strict, NULL, NULL, collect, &left);
        CHECK(fixable ? remaining == 0 : (left.mask & wanted) != 0);
        pe_close(&image);
    }
}

/* The build's fixed image without what GNU tools add for symbols (a trailing .gnu_debuglink
 * and the name table after it), so that sections can be appended as to clang's. */
static void open_plain(struct pe_image *image)
{
    open_copy(fixed_path, image);
    if (strcmp(pe_section(image, image->section_count - 1).name, ".gnu_debuglink") == 0) {
        pe_drop_symbol_table(image);
        CHECK_EQ(pe_remove_last_section(image), 0);
        reseal(image);
    }
}

/* Opens the image's bytes anew, as a later run of wdmimage would. */
static void reopen(struct pe_image *image)
{
    char err[256];
    size_t size = image->size;
    uint8_t *copy = malloc(size);

    memcpy(copy, image->data, size);
    pe_close(image);
    if (pe_open(image, copy, size, err, sizeof(err))) {
        fprintf(stderr, "reopening: %s\n", err);
        exit(2);
    }
}

enum { CODEVIEW_DATA = PE_SCN_CNT_INITIALIZED_DATA | PE_SCN_MEM_READ | PE_SCN_MEM_NOT_PAGED };

/* Appends a section holding a debug directory of one CodeView entry and the RSDS record after
 * it, naming pdb, as lld writes them; returns the file offset of the entry. */
static size_t add_codeview(struct pe_image *image, const char *name, uint32_t flags,
                           const char *pdb)
{
    static const uint8_t guid[16] = {0x54, 0x7D, 0xD2, 0x93, 0xDD, 0x76, 0xDA, 0x45,
                                     'L',  'L',  'D',  ' ',  'P',  'D',  'B',  '.'};
    uint8_t content[28 + 24 + 64] = {0};
    uint32_t pdb_size = (uint32_t)strlen(pdb) + 1, rva;
    size_t entry = 0;

    CHECK_EQ(pe_append_section(image, name, content, 28 + 24 + pdb_size, flags, &rva), 0);
    CHECK_EQ(pe_rva_to_offset(image, rva, 28, &entry), 0);
    pe_write32(image, entry + 12, 2); /* IMAGE_DEBUG_TYPE_CODEVIEW */
    pe_write32(image, entry + 16, 24 + pdb_size);
    pe_write32(image, entry + 20, rva + 28);
    pe_write32(image, entry + 24, (uint32_t)entry + 28);
    memcpy(image->data + entry + 28, "RSDS", 4);
    memcpy(image->data + entry + 32, guid, sizeof(guid));
    pe_write32(image, entry + 48, 1); /* age */
    memcpy(image->data + entry + 52, pdb, pdb_size);
    pe_set_directory(image, PE_DIR_DEBUG, rva, 28);
    reseal(image);
    return entry;
}

/* A trailing .buildid (lld's home for the debug directory) is removed, and the directory with
 * it; the build merges it into .rdata instead (toolchain/symbols.cmake). */
static void test_buildid_removed(void)
{
    struct pe_image image;
    uint32_t rva, size;

    open_plain(&image);
    size_t original_size = image.size;
    unsigned original_sections = image.section_count;
    add_codeview(&image, ".buildid", PE_SCN_CNT_INITIALIZED_DATA | PE_SCN_MEM_READ, "x.pdb");
    check_rules(&image, 1u << PE_RULE_LEFTOVERS, "a trailing .buildid");
    CHECK_EQ(pe_fix(&image, &strict, NULL, NULL, NULL, NULL), 0);
    CHECK(image.size == original_size && image.section_count == original_sections);
    CHECK(!pe_directory(&image, PE_DIR_DEBUG, &rva, &size));
    pe_close(&image);
}

enum codeview_damage {
    CV_WRITABLE,
    CV_DISCARDABLE,
    CV_EXECUTABLE,
    CV_PAGEABLE,
    CV_NOT_RSDS,
    CV_ZERO_GUID,
    CV_ZERO_AGE,
    CV_UNIX_PATH,
    CV_WINDOWS_PATH,
    CV_NO_NUL,
    CV_NUL_INSIDE,
    CV_NOT_CODEVIEW,
    CV_TWO_ENTRIES,
    CV_OUTSIDE,
    CV_FILE_OFFSET,
    CV_NO_ADDRESS,
    CV_TOO_LONG,
    CV_DAMAGE_COUNT
};

static const char *const codeview_damage_names[CV_DAMAGE_COUNT] = {
    "writable section", "discardable section", "executable section", "PAGE section",
    "not RSDS", "zero GUID", "age 0", "Unix path", "Windows path", "no NUL", "NUL inside",
    "type POGO", "two entries", "directory outside the sections", "wrong PointerToRawData",
    "AddressOfRawData 0", "record past its section",
};

static void damage_codeview(struct pe_image *image, enum codeview_damage d)
{
    uint32_t flags = CODEVIEW_DATA;
    const char *pdb = "minwdm.pdb", *name = ".cvdata";

    switch (d) {
    case CV_WRITABLE: flags |= PE_SCN_MEM_WRITE; break;
    case CV_DISCARDABLE: flags = (flags & ~(uint32_t)PE_SCN_MEM_NOT_PAGED) | PE_SCN_MEM_DISCARDABLE; break;
    case CV_EXECUTABLE: flags |= PE_SCN_MEM_EXECUTE; break;
    case CV_PAGEABLE: flags &= ~(uint32_t)PE_SCN_MEM_NOT_PAGED; name = "PAGECV"; break;
    case CV_UNIX_PATH: pdb = "/home/me/build/minwdm.pdb"; break;
    case CV_WINDOWS_PATH: pdb = "C:\\build\\minwdm.pdb"; break;
    default: break;
    }
    size_t entry = add_codeview(image, name, flags, pdb);
    size_t record = entry + 28;
    uint32_t rva, size;
    pe_directory(image, PE_DIR_DEBUG, &rva, &size);
    switch (d) {
    case CV_NOT_RSDS: image->data[record + 3] = 'X'; break;
    case CV_ZERO_GUID: memset(image->data + record + 4, 0, 16); break;
    case CV_ZERO_AGE: pe_write32(image, record + 20, 0); break;
    case CV_NO_NUL: pe_write32(image, entry + 16, pe_read32(image, entry + 16) - 1); break;
    case CV_NUL_INSIDE: pe_write32(image, entry + 16, pe_read32(image, entry + 16) + 4); break;
    case CV_NOT_CODEVIEW: pe_write32(image, entry + 12, 13); break;
    case CV_TWO_ENTRIES: pe_set_directory(image, PE_DIR_DEBUG, rva, 56); break;
    case CV_OUTSIDE: pe_set_directory(image, PE_DIR_DEBUG, rva + 0x10000, 28); break;
    case CV_FILE_OFFSET: pe_write32(image, entry + 24, pe_read32(image, entry + 24) + 8); break;
    case CV_NO_ADDRESS: pe_write32(image, entry + 20, 0); break;
    case CV_TOO_LONG: pe_write32(image, entry + 16, 0x1000); break;
    default: break;
    }
    reseal(image);
}

/* The debug directory is kept when it is exactly one well-formed CodeView entry in resident
 * read-only data; each damage is reported under debug-info alone, and fix cannot mend it. */
static void test_codeview(void)
{
    struct pe_image image;

    open_plain(&image);
    add_codeview(&image, ".cvdata", CODEVIEW_DATA, "minwdm.pdb");
    check_rules(&image, 0, "a well-formed CodeView record");
    pe_close(&image);
    for (int d = 0; d < CV_DAMAGE_COUNT; d++) {
        open_plain(&image);
        damage_codeview(&image, (enum codeview_damage)d);
        check_rules(&image, 1u << PE_RULE_DEBUG_INFO, codeview_damage_names[d]);
        struct findings left = {0, 0};
        pe_fix(&image, &strict, NULL, NULL, collect, &left);
        CHECK(left.mask & 1u << PE_RULE_DEBUG_INFO);
        pe_close(&image);
    }
}

enum { DEBUGLINK_DATA = PE_SCN_CNT_INITIALIZED_DATA | PE_SCN_MEM_READ | PE_SCN_MEM_DISCARDABLE };

/* Appends a section named through the COFF string table, as GNU tools write long names: its
 * header says "/4", the string table that follows symbol_count symbol records spells long_name
 * (each record names DriverEntry, as objcopy --keep-symbol leaves it; the first one has
 * first_aux auxiliary records after it). Then opens the image anew. */
static void add_long_named(struct pe_image *image, const char *long_name, const uint8_t *content,
                           uint32_t length, uint32_t flags, unsigned symbol_count,
                           unsigned first_aux)
{
    uint8_t strings[64] = {0};
    uint32_t rva, name_size = (uint32_t)strlen(long_name) + 1;
    uint32_t strings_size = 4 + name_size + sizeof("DriverEntry");

    CHECK_EQ(pe_append_section(image, "/4", content, length, flags, &rva), 0);
    pe_write32(image, image->file_header + PE_FH_POINTER_TO_SYMBOL_TABLE, (uint32_t)image->size);
    pe_write32(image, image->file_header + PE_FH_NUMBER_OF_SYMBOLS, symbol_count);
    memcpy(strings + 4, long_name, name_size);
    memcpy(strings + 4 + name_size, "DriverEntry", sizeof("DriverEntry"));
    strings[0] = (uint8_t)strings_size;
    size_t symbols_size = (size_t)symbol_count * PE_SYMBOL_SIZE, at = image->size;
    image->data = realloc(image->data, at + symbols_size + strings_size);
    image->size = at + symbols_size + strings_size;
    memset(image->data + at, 0, symbols_size);
    for (unsigned i = 0; i < symbol_count; i++) {
        size_t symbol = at + (size_t)i * PE_SYMBOL_SIZE;
        pe_write32(image, symbol + 4, 4 + name_size); /* the name: "DriverEntry" */
        pe_write16(image, symbol + 12, 1);             /* section 1 */
        image->data[symbol + 16] = 2;                  /* IMAGE_SYM_CLASS_EXTERNAL */
    }
    if (symbol_count)
        image->data[at + 17] = (uint8_t)first_aux;
    memcpy(image->data + at + symbols_size, strings, strings_size);
    reseal(image);
    reopen(image);
}

static void add_debuglink(struct pe_image *image, const char *file, uint32_t flags,
                          unsigned symbol_count, unsigned first_aux)
{
    uint8_t content[64] = {0};
    uint32_t name_size = (uint32_t)strlen(file) + 1, crc_at = (name_size + 3) & ~3u;

    memcpy(content, file, name_size);
    pe_write32(&(struct pe_image){.data = content}, crc_at, 0x1EDC6F41);
    add_long_named(image, ".gnu_debuglink", content, crc_at + 4, flags, symbol_count, first_aux);
}

/* .gnu_debuglink, named through the name table objcopy leaves (zero or one symbol), is kept;
 * fix leaves it as it is. Damage to it, or a larger symbol table, is reported. */
static void test_debuglink(void)
{
    struct pe_image image;

    /* No symbol, DriverEntry alone, DriverEntry with the auxiliary record GCC gives it. */
    for (unsigned records = 0; records <= 2; records++) {
        open_plain(&image);
        add_debuglink(&image, "minwdm.debug", DEBUGLINK_DATA, records, records ? records - 1 : 0);
        CHECK_EQ(strcmp(pe_section(&image, image.section_count - 1).name, ".gnu_debuglink"), 0);
        check_rules(&image, 0, records == 0 ? ".gnu_debuglink, no symbol"
                               : records == 1 ? ".gnu_debuglink, DriverEntry"
                                              : ".gnu_debuglink, DriverEntry and its aux record");
        size_t size = image.size;
        uint8_t *before = malloc(size);
        memcpy(before, image.data, size);
        struct findings changed = {0, 0};
        CHECK_EQ(pe_fix(&image, &strict, collect, &changed, NULL, NULL), 0);
        CHECK(changed.count == 0 && image.size == size && memcmp(before, image.data, size) == 0);
        free(before);
        pe_close(&image);
    }
    static const struct {
        const char *what, *file;
        uint32_t flags;
        unsigned symbols, rules;
    } bad[] = {
        {"not discardable", "minwdm.debug", CODEVIEW_DATA, 1, 1u << PE_RULE_DEBUG_INFO},
        {"writable", "minwdm.debug", DEBUGLINK_DATA | PE_SCN_MEM_WRITE, 1,
         1u << PE_RULE_DEBUG_INFO},
        {"a path", "/home/me/minwdm.debug", DEBUGLINK_DATA, 1, 1u << PE_RULE_DEBUG_INFO},
        {"two symbols", "minwdm.debug", DEBUGLINK_DATA, 2, 1u << PE_RULE_LEFTOVERS},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        open_plain(&image);
        add_debuglink(&image, bad[i].file, bad[i].flags, bad[i].symbols, 0);
        check_rules(&image, bad[i].rules, bad[i].what);
        struct findings left = {0, 0};
        CHECK(pe_fix(&image, &strict, NULL, NULL, collect, &left) != 0);
        pe_close(&image);
    }

    /* The section's size must be the name, its padding and the CRC; a name needs its NUL. */
    open_plain(&image);
    add_debuglink(&image, "minwdm.debug", DEBUGLINK_DATA, 1, 0);
    size_t header = pe_section_header(&image, image.section_count - 1);
    pe_write32(&image, header + 8, pe_read32(&image, header + 8) + 4);
    reseal(&image);
    check_rules(&image, 1u << PE_RULE_DEBUG_INFO, ".gnu_debuglink 4 bytes too long");
    memset(image.data + pe_read32(&image, header + 20), 'x', 20);
    reseal(&image);
    check_rules(&image, 1u << PE_RULE_DEBUG_INFO, ".gnu_debuglink without a NUL");
    pe_close(&image);

    /* Bytes after the name table are leftovers, and go; an auxiliary record more than the
     * table holds spoils it. */
    open_plain(&image);
    add_debuglink(&image, "minwdm.debug", DEBUGLINK_DATA, 1, 0);
    size_t size = image.size;
    image.data = realloc(image.data, size + 16);
    memset(image.data + size, 0xAA, 16);
    image.size = size + 16;
    reseal(&image);
    check_rules(&image, 1u << PE_RULE_LEFTOVERS, "bytes after the name table");
    CHECK(pe_fix(&image, &strict, NULL, NULL, NULL, NULL) == 0 && image.size == size);
    image.data[pe_read32(&image, image.file_header + PE_FH_POINTER_TO_SYMBOL_TABLE) + 17] = 1;
    reseal(&image);
    check_rules(&image, 1u << PE_RULE_LEFTOVERS, "an auxiliary record past the name table");
    pe_close(&image);

    /* A driver without relocations (no_unload): fix adds .reloc before the name table, which
     * stays the file's tail and still spells .gnu_debuglink. */
    open_plain(&image);
    add_debuglink(&image, "minwdm.debug", DEBUGLINK_DATA, 2, 1);
    pe_set_directory(&image, PE_DIR_BASERELOC, 0, 0);
    reseal(&image);
    check_rules(&image, 1u << PE_RULE_RELOCATIONS, ".gnu_debuglink, no relocation table");
    struct findings left = {0, 0};
    CHECK_EQ(pe_fix(&image, &strict, NULL, NULL, collect, &left), 0);
    if (left.count)
        fprintf(stderr, "fix of a debuglink image without relocations left 0x%x\n", left.mask);
    CHECK_EQ(strcmp(pe_section(&image, image.section_count - 2).name, ".gnu_debuglink"), 0);
    CHECK_EQ(strcmp(pe_section(&image, image.section_count - 1).name, ".reloc"), 0);
    reopen(&image);
    check_rules(&image, 0, ".gnu_debuglink, .reloc added");
    pe_close(&image);
}

/* GNU ld without -s: long-named .debug_* sections and a full symbol table. Their names are read
 * through the string table, so fix recognises and removes them, then the symbols. */
static void test_long_named_leftovers(void)
{
    struct pe_image image;
    uint8_t dwarf[100] = {1, 2, 3};

    open_plain(&image);
    size_t original_size = image.size;
    add_long_named(&image, ".debug_info", dwarf, sizeof(dwarf),
                   PE_SCN_CNT_INITIALIZED_DATA | PE_SCN_MEM_READ | PE_SCN_MEM_DISCARDABLE, 3, 0);
    CHECK_EQ(strcmp(pe_section(&image, image.section_count - 1).name, ".debug_info"), 0);
    check_rules(&image, 1u << PE_RULE_LEFTOVERS, "long-named .debug_info and symbols");
    struct findings left = {0, 0};
    CHECK_EQ(pe_fix(&image, &strict, NULL, NULL, collect, &left), 0);
    if (image.size != original_size)
        fprintf(stderr, "fixed image: %zu bytes, wanted %zu\n", image.size, original_size);
    CHECK_EQ(image.size, original_size);
    pe_close(&image);

    /* Without its string table, "/4" names nothing: reported, and fix cannot bring it back. */
    open_plain(&image);
    add_long_named(&image, ".debug_info", dwarf, sizeof(dwarf), CODEVIEW_DATA, 0, 0);
    pe_drop_symbol_table(&image);
    pe_truncate(&image, pe_sections_end(&image));
    reseal(&image);
    reopen(&image);
    CHECK_EQ(strcmp(pe_section(&image, image.section_count - 1).name, "/4"), 0);
    check_rules(&image, 1u << PE_RULE_LEFTOVERS, "a long name without a string table");
    pe_close(&image);
}

static void set_alignments(struct pe_image *image, uint32_t section, uint32_t file)
{
    pe_write32(image, image->optional_header + PE_OH_SECTION_ALIGNMENT, section);
    pe_write32(image, image->optional_header + PE_OH_FILE_ALIGNMENT, file);
    pe_set_directory(image, PE_DIR_BASERELOC, 0, 0); /* so that fix wants to add a section */
    reseal(image);
}

/* Section alignment exactly 0x1000; file alignment a power of two in 0x200-0x10000, at most the
 * section alignment. Fix must refuse a bad one before anything is sized from it: a FileAlignment
 * of 0xFFFFFFFF with no relocation table once made it allocate 8 GiB (0x40000000: 2 GiB). */
static void test_alignments(void)
{
    static const struct {
        uint32_t section, file;
        int valid;
    } cases[] = {
        {0x1000, 0x200, 1},        {0x1000, 0x1000, 1},     {0x3000, 0x200, 0},
        {0x5000, 0x200, 0},        {0x2000, 0x200, 0},      {0x40000000, 0x200, 0},
        {0x800, 0x200, 0},         {0, 0x200, 0},           {0xFFFFFFFF, 0x200, 0},
        {0x1000, 0xFFFFFFFF, 0},   {0x1000, 0x40000000, 0}, {0x1000, 0x100, 0},
        {0x1000, 0x300, 0},        {0x1000, 0x2000, 0},     {0x1000, 0, 0},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pe_image image;
        open_copy(fixed_path, &image);
        set_alignments(&image, cases[i].section, cases[i].file);
        int reported = (rules_of(&image) & 1u << PE_RULE_ALIGNMENT) != 0;
        if (reported == cases[i].valid)
            fprintf(stderr, "section alignment 0x%x, file alignment 0x%x: alignment rule %s, "
                            "wanted %s\n", cases[i].section, cases[i].file,
                    reported ? "broken" : "kept", cases[i].valid ? "kept" : "broken");
        CHECK(reported != cases[i].valid);
        size_t before = image.size;
        struct findings left = {0, 0};
        pe_fix(&image, &strict, NULL, NULL, collect, &left);
        if (!cases[i].valid && image.size != before)
            fprintf(stderr, "alignments 0x%x/0x%x: fix resized the image from %zu to %zu bytes\n",
                    cases[i].section, cases[i].file, before, image.size);
        CHECK(cases[i].valid ? left.count == 0 : image.size == before);
        CHECK(cases[i].valid || (left.mask & 1u << PE_RULE_ALIGNMENT));
        pe_close(&image);
    }
}

static void test_policy(void)
{
    struct pe_image image;
    const char *extra[] = {"msvcrt.dll"};
    const struct pe_policy allow = {1, extra, 1, 0};
    struct findings f = {0, 0};

    open_copy(fixed_path, &image);
    mutate(&image, USER_MODE_IMPORT);
    mutate(&image, EXPORT_TABLE);
    pe_check(&image, &allow, collect, &f);
    CHECK_EQ(f.count, 0);
    pe_close(&image);
}

static void write_file(const char *path, const struct pe_image *image)
{
    FILE *f = fopen(path, "wb");

    CHECK(f && fwrite(image->data, 1, image->size, f) == image->size);
    if (f)
        fclose(f);
}

static long last_run_max_rss_kb; /* of the last run_wdmimage */
static const long max_refusal_rss_kb = 200L * 1024;

/* Runs wdmimage with args (NULL-terminated), stderr into err_path, in at most 1 GiB of address
 * space (a regression must not take the machine's memory); returns its exit status. */
static int run_wdmimage(const char *const *args, const char *err_path)
{
    char *argv[8];
    int n = 0, status;
    struct rusage usage;

    argv[n++] = (char *)wdmimage;
    while (*args && n < 7)
        argv[n++] = (char *)*args++;
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        const struct rlimit limit = {1ul << 30, 1ul << 30};
        int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0)
            dup2(fd, 2);
        setrlimit(RLIMIT_AS, &limit);
        execv(wdmimage, argv);
        _exit(127);
    }
    if (pid < 0 || wait4(pid, &status, 0, &usage) != pid)
        return -1;
    last_run_max_rss_kb = usage.ru_maxrss;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int file_contains(const char *path, const char *text)
{
    size_t size;
    FILE *f = fopen(path, "rb");
    char buffer[4096];

    if (!f)
        return 0;
    size = fread(buffer, 1, sizeof(buffer) - 1, f);
    fclose(f);
    buffer[size] = '\0';
    return strstr(buffer, text) != NULL;
}

static void test_command_line(void)
{
    struct pe_image image;
    char bad[1024], fixed[1024], err[1024];

    snprintf(bad, sizeof(bad), "%s/bad-checksum.sys", scratch);
    snprintf(fixed, sizeof(fixed), "%s/fixed.sys", scratch);
    snprintf(err, sizeof(err), "%s/stderr.txt", scratch);
    open_copy(fixed_path, &image);
    mutate(&image, BAD_CHECKSUM);
    write_file(bad, &image);
    pe_close(&image);

    CHECK_EQ(run_wdmimage((const char *[]){"check", bad, NULL}, err), 1);
    CHECK(file_contains(err, "checksum: stored checksum"));
    CHECK(file_contains(err, "why: "));
    CHECK_EQ(run_wdmimage((const char *[]){"fix", bad, "-o", fixed, NULL}, err), 0);
    CHECK_EQ(run_wdmimage((const char *[]){"check", fixed, NULL}, err), 0);

    open_copy(fixed_path, &image);
    mutate(&image, WRITABLE_CODE);
    write_file(bad, &image);
    pe_close(&image);
    remove(fixed);
    CHECK_EQ(run_wdmimage((const char *[]){"fix", bad, "-o", fixed, NULL}, err), 1);
    CHECK(file_contains(err, "write-execute: section .text is writable and executable"));
    FILE *f = fopen(fixed, "rb");
    CHECK(f == NULL); /* an image that cannot be fixed is not written */
    if (f)
        fclose(f);

    /* The damaged image of issue 15: refused, in little memory, and nothing written. */
    open_copy(fixed_path, &image);
    set_alignments(&image, 0x1000, 0xFFFFFFFF);
    write_file(bad, &image);
    pe_close(&image);
    CHECK_EQ(run_wdmimage((const char *[]){"fix", bad, "-o", fixed, NULL}, err), 1);
    CHECK(file_contains(err, "alignment: file alignment 0xffffffff"));
    if (last_run_max_rss_kb > max_refusal_rss_kb)
        fprintf(stderr, "wdmimage fix used %ld KiB refusing a damaged image, limit %ld KiB\n",
                last_run_max_rss_kb, max_refusal_rss_kb);
    CHECK(last_run_max_rss_kb <= max_refusal_rss_kb);
    f = fopen(fixed, "rb");
    CHECK_EQ(f, NULL);
    if (f)
        fclose(f);
    CHECK_EQ(run_wdmimage((const char *[]){"check", "/nonexistent.sys", NULL}, err), 2);
    CHECK_EQ(run_wdmimage((const char *[]){"frobnicate", bad, NULL}, err), 2);
}

/* Truncations and random byte flips must be refused or checked, never crash (ASan watches). */
static void test_damage(void)
{
    size_t size;
    uint8_t *original = read_file(fixed_path, &size);
    char err[256];
    unsigned seed = 12345, parsed = 0, refused = 0;

    if (size == 0) /* read_file exits instead, which the shallow analyzer does not follow */
        return;

    for (size_t cut = 0; cut < size; cut += 7) {
        struct pe_image image;
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, original, cut);
        if (pe_open(&image, copy, cut, err, sizeof(err)) == 0) {
            pe_check(&image, &strict, NULL, NULL);
            pe_close(&image);
            parsed++;
        } else {
            refused++;
        }
    }
    for (int round = 0; round < 3000; round++) {
        struct pe_image image;
        uint8_t *copy = malloc(size);
        memcpy(copy, original, size);
        for (int flips = 0; flips < 1 + round % 8; flips++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % (round % 2 ? 0x400 : size); /* headers get most hits */
            copy[at] ^= (uint8_t)(1u << (seed % 8));
        }
        if (pe_open(&image, copy, size, err, sizeof(err)) == 0) {
            pe_check(&image, &strict, NULL, NULL);
            pe_fix(&image, &strict, NULL, NULL, NULL, NULL);
            pe_close(&image);
            parsed++;
        } else {
            refused++;
        }
    }
    free(original);
    /* Both paths ran; the sanitizers watched them. */
    CHECK(parsed > 100 && refused > 100);
}

static unsigned signed_rules_of(const struct pe_image *image)
{
    static const struct pe_policy must_be_signed = {.require_signature = 1};
    struct findings f = {0, 0};

    pe_check(image, &must_be_signed, collect, &f);
    return f.mask;
}

/* The build's signed driver: signed, checked like any image, and refused by fix; an unsigned one
 * or a damaged certificate table is reported under "signature". */
/* The FORCE_INTEGRITY warning: an import of ObRegisterCallbacks (written over a longer name the
 * driver imports) without the flag is named, with the flag or without the import nothing is; the
 * CLI prints it and still exits 0. */
static void test_integrity_warning(void)
{
    struct pe_image image;
    char name[64] = "";
    size_t offset;

    open_copy(fixed_path, &image);
    CHECK_EQ(pe_integrity_check_missing(&image, name, sizeof(name)), 0);
    uint8_t *at = NULL;
    for (size_t i = 0; !at && i + 30 <= image.size; i++)
        if (memcmp(image.data + i, "KeGetCurrentProcessorNumberEx", 30) == 0)
            at = image.data + i;
    CHECK(at != NULL);
    if (!at) {
        pe_close(&image);
        return;
    }
    memcpy(at, "ObRegisterCallbacks", 20);
    CHECK_EQ(pe_integrity_check_missing(&image, name, sizeof(name)), 1);
    CHECK(strcmp(name, "ObRegisterCallbacks") == 0);
    char path[512], err[512];
    snprintf(path, sizeof(path), "%s/integrity.sys", scratch);
    snprintf(err, sizeof(err), "%s/integrity.err", scratch);
    reseal(&image);
    write_file(path, &image);
    CHECK_EQ(run_wdmimage((const char *[]){"check", path, NULL}, err), 0);
    CHECK(file_contains(err, "warning: imports ObRegisterCallbacks, which Windows refuses"));
    offset = image.optional_header + PE_OH_DLL_CHARACTERISTICS;
    pe_write16(&image, offset, pe_read16(&image, offset) | 0x0080);
    CHECK_EQ(pe_integrity_check_missing(&image, name, sizeof(name)), 0);
    pe_close(&image);
}

static void test_signatures(void)
{
    struct pe_image image;
    uint32_t offset, size;
    const unsigned signature = 1u << PE_RULE_SIGNATURE;

    open_copy(fixed_path, &image);
    CHECK_EQ(signed_rules_of(&image), signature);
    pe_close(&image);
    if (!signed_path)
        return;
    open_copy(signed_path, &image);
    CHECK_EQ(signed_rules_of(&image), 0);
    CHECK(pe_directory(&image, PE_DIR_SECURITY, &offset, &size));
    struct findings refused = {0, 0};
    CHECK_EQ(pe_fix(&image, &strict, NULL, NULL, collect, &refused), 1);
    pe_write16(&image, offset + 4, 0x0100); /* WIN_CERT_REVISION_1_0 */
    reseal(&image);
    CHECK_EQ(signed_rules_of(&image), signature);
    pe_write16(&image, offset + 4, 0x0200);
    pe_write32(&image, offset, size + 8); /* longer than the table */
    reseal(&image);
    CHECK_EQ(signed_rules_of(&image), signature);
    pe_write32(&image, offset, size);
    pe_set_directory(&image, PE_DIR_SECURITY, offset + 4, size - 4); /* misaligned */
    reseal(&image);
    CHECK(signed_rules_of(&image) & signature);
    pe_close(&image);
}

int main(int argc, char **argv)
{
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: test_pe_rules <fixed.sys> <linker-output.sys> <wdmimage> <dir> "
                        "[<signed.sys>]\n");
        return 2;
    }
    fixed_path = argv[1];
    raw_path = argv[2];
    wdmimage = argv[3];
    scratch = argv[4];
    signed_path = argc == 6 ? argv[5] : NULL;
    mkdir(scratch, 0755);
    test_good_images();
    test_mutations();
    test_buildid_removed();
    test_codeview();
    test_debuglink();
    test_long_named_leftovers();
    test_alignments();
    test_policy();
    test_signatures();
    test_integrity_warning();
    test_command_line();
    test_damage();
    return check_done("test_pe_rules");
}
