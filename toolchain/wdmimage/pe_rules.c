#include "pe_rules.h"

#include "seh_scopes.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum {
    MACHINE_AMD64 = 0x8664,
    SUBSYSTEM_NATIVE = 1,
    IMPORT_DESCRIPTOR_SIZE = 20,
    REL_BASED_ABSOLUTE = 0,
    REL_BASED_DIR64 = 10,
    MAX_THUNKS = 65536,
    MAX_IMPORT_MODULES = 1024, /* no driver binds to that many modules: past it, damage */
    DEBUG_ENTRY_SIZE = 28,     /* IMAGE_DEBUG_DIRECTORY */
    DEBUG_TYPE_CODEVIEW = 2,
    RSDS_HEADER_SIZE = 24,     /* "RSDS", the PDB's GUID and age; its file name follows */
    MAX_DEBUG_FILE_NAME = 260, /* MAX_PATH: more is no file name */
};

/* One line per rule: why the Windows loader, HVCI or good practice demands it. */
static const struct {
    const char *name;
    const char *reason;
} rules[PE_RULE_COUNT] = {
    [PE_RULE_FORMAT] = {"format", "x64 Windows loads AMD64 images of the native subsystem whose "
                                  "entry point is code"},
    [PE_RULE_ALIGNMENT] = {"alignment", "HVCI gives each section its own page protection, so "
                                        "sections start on pages: section alignment 0x1000, as "
                                        "Microsoft's linker gives every driver"},
    [PE_RULE_NX_DYNAMIC_BASE] = {"nx-dynamicbase", "the kernel relocates every driver and HVCI "
                                                   "wants images marked NX-compatible"},
    [PE_RULE_RELOCATIONS] = {"relocations", "the kernel maps a driver where it likes; without a "
                                            "relocation table it cannot load it there"},
    [PE_RULE_EXPORTS] = {"exports", "an export table lets other drivers bind to this one: export "
                                    "on purpose (ALLOW_EXPORTS) or not at all"},
    [PE_RULE_WRITE_EXECUTE] = {"write-execute", "a section both writable and executable is refused "
                                                "by HVCI and is an attacker's gift"},
    [PE_RULE_INIT_DISCARDABLE] = {"init-discardable", "INIT code runs only during DriverEntry; "
                                                      "marked discardable, its pages are freed "
                                                      "after load"},
    [PE_RULE_IMPORTS] = {"imports", "a driver can only bind to kernel modules (ntoskrnl.exe, "
                                    "hal.dll, FltMgr.sys for minifilters, NETIO.SYS for "
                                    "WSK); a user-mode DLL "
                                    "import fails the load"},
    [PE_RULE_IAT] = {"iat", "HVCI wants the import address table outside executable sections"},
    [PE_RULE_UNWIND] = {"unwind", "x64 exception dispatch and stack walks find unwind data by "
                                  "binary search in .pdata: a bad table bug-checks, and a "
                                  "__try whose scope table protects nothing lets a fault "
                                  "through to a bug check"},
    [PE_RULE_LEFTOVERS] = {"leftovers", "linker by-products (.buildid, debug sections, COFF "
                                        "symbols) are dead weight that leaks build details"},
    [PE_RULE_DEBUG_INFO] = {"debug-info", "a debugger finds a driver's symbols through the image "
                                          "(WinDbg: the CodeView record's PDB GUID and age; "
                                          "Wine and gdb: .gnu_debuglink): well-formed, naming a "
                                          "bare file, the CodeView record resident and "
                                          "read-only as Microsoft's linker keeps it"},
    [PE_RULE_CHECKSUM] = {"checksum", "Windows verifies the checksum of driver images (Windows 7 "
                                      "refuses a zero one with ERROR_BAD_EXE_FORMAT)"},
    [PE_RULE_PAGING] = {"paging", "Windows pages out sections named PAGE* and keeps the rest "
                                  "resident: PAGE must be neither discardable nor marked not "
                                  "paged, the others marked not paged as Microsoft's linker does"},
    [PE_RULE_SIGNATURE] = {"signature", "x64 Windows loads no unsigned driver (error 577); the "
                                        "signature is the image's last bytes, 8-byte aligned, "
                                        "a PKCS#7 WIN_CERTIFICATE, made after every other change"},
    [PE_RULE_HEADER] = {"header", "a driver is not a DLL: Microsoft's linker writes kernel drivers "
                                  "without IMAGE_FILE_DLL and with OS and subsystem version 10.0, "
                                  "the Windows the kit's headers target (docs/windows.md)"},
};

const char *pe_rule_name(enum pe_rule rule)
{
    return rule < PE_RULE_COUNT ? rules[rule].name : "?";
}

const char *pe_rule_reason(enum pe_rule rule)
{
    return rule < PE_RULE_COUNT ? rules[rule].reason : "?";
}

struct reporter {
    pe_report_fn report;
    void *context;
    unsigned count;
};

static void say(struct reporter *r, enum pe_rule rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(struct reporter *r, enum pe_rule rule, const char *fmt, ...)
{
    char message[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    r->count++;
    if (r->report)
        r->report(r->context, rule, message);
}

/* Sections Windows may page out: their names begin with PAGE. */
static int is_pageable(const struct pe_section *s)
{
    return strncmp(s->name, "PAGE", 4) == 0;
}

static uint32_t optional32(const struct pe_image *image, size_t field)
{
    return pe_read32(image, image->optional_header + field);
}

static uint16_t optional16(const struct pe_image *image, size_t field)
{
    return pe_read16(image, image->optional_header + field);
}

static int is_leftover_section(const char *name)
{
    return strcmp(name, ".buildid") == 0 || strncmp(name, ".debug", 6) == 0 ||
           strcmp(name, ".comment") == 0;
}

/* Only meaningful once the section alignment is known to be valid. */
static uint64_t expected_image_size(const struct pe_image *image)
{
    uint32_t alignment = optional32(image, PE_OH_SECTION_ALIGNMENT);
    uint64_t end = optional32(image, PE_OH_SIZE_OF_HEADERS);

    for (unsigned i = 0; i < image->section_count; i++) {
        struct pe_section s = pe_section(image, i);
        uint64_t e = (uint64_t)s.virtual_address + (s.virtual_size ? s.virtual_size : s.raw_size);
        if (e > end)
            end = e;
    }
    return pe_align_up(end, alignment);
}

static void check_format(const struct pe_image *image, struct reporter *r)
{
    uint16_t machine = pe_read16(image, image->file_header + PE_FH_MACHINE);
    uint16_t subsystem = optional16(image, PE_OH_SUBSYSTEM);
    uint32_t entry = optional32(image, PE_OH_ADDRESS_OF_ENTRY_POINT);
    uint32_t size = optional32(image, PE_OH_SIZE_OF_IMAGE);

    if (machine != MACHINE_AMD64)
        say(r, PE_RULE_FORMAT, "machine 0x%04x is not AMD64 (0x8664)", machine);
    if (subsystem != SUBSYSTEM_NATIVE)
        say(r, PE_RULE_FORMAT, "subsystem %u is not native (1): link with --subsystem,native",
            subsystem);
    int section = pe_section_of_rva(image, entry);
    if (entry == 0)
        say(r, PE_RULE_FORMAT, "no entry point: link with --entry,DriverEntry");
    else if (section < 0 || !(pe_section(image, (unsigned)section).flags & PE_SCN_MEM_EXECUTE))
        say(r, PE_RULE_FORMAT, "entry point 0x%x is not in an executable section", entry);
    /* With a bad section alignment the alignment rule speaks; SizeOfImage is rounded to it. */
    if (!pe_section_alignment_valid(optional32(image, PE_OH_SECTION_ALIGNMENT)))
        return;
    uint64_t expected = expected_image_size(image);
    if (size != expected)
        say(r, PE_RULE_FORMAT, "SizeOfImage 0x%x, but the sections end at 0x%llx", size,
            (unsigned long long)expected);
}

/* Section alignment: exactly one page, 0x1000. HVCI gives each section its own page protection,
 * so sections must start on page boundaries; Microsoft's HVCI guidance words it "a multiple of
 * 0x1000", but 0x1000 itself is what Microsoft's linker gives every driver (/DRIVER, the WDK's
 * DRIVER_ALIGNMENT=0x1000), so it is the only value the kernel's loader is known to take, and a
 * larger one buys nothing but unused address space between sections (0x40000000 would spread a
 * 24 KiB driver over gigabytes). File alignment: the PE specification's power of two from 0x200
 * to 0x10000, and no larger than the section alignment. wdmimage's own edits rely on both
 * (pe_alignments_valid): nothing is rounded to an alignment this rule has not accepted. */
static void check_alignment(const struct pe_image *image, struct reporter *r)
{
    uint32_t section_alignment = optional32(image, PE_OH_SECTION_ALIGNMENT);
    uint32_t file_alignment = optional32(image, PE_OH_FILE_ALIGNMENT);

    if (!pe_section_alignment_valid(section_alignment))
        say(r, PE_RULE_ALIGNMENT, "section alignment 0x%x is not one page (0x1000)",
            section_alignment);
    if (!pe_file_alignment_valid(file_alignment, UINT32_MAX))
        say(r, PE_RULE_ALIGNMENT, "file alignment 0x%x is not a power of two in 0x200-0x10000",
            file_alignment);
    else if (file_alignment > section_alignment)
        say(r, PE_RULE_ALIGNMENT, "file alignment 0x%x is larger than the section alignment 0x%x",
            file_alignment, section_alignment);
    for (unsigned i = 0; i < image->section_count; i++) {
        struct pe_section s = pe_section(image, i);
        if (s.virtual_address % PE_PAGE_SIZE)
            say(r, PE_RULE_ALIGNMENT, "section %s starts at 0x%x, inside a page", s.name,
                s.virtual_address);
    }
}

static void check_nx_dynamic_base(const struct pe_image *image, struct reporter *r)
{
    uint16_t flags = optional16(image, PE_OH_DLL_CHARACTERISTICS);

    if (!(flags & PE_DLL_NX_COMPAT))
        say(r, PE_RULE_NX_DYNAMIC_BASE, "NX_COMPAT is not set");
    if (!(flags & PE_DLL_DYNAMIC_BASE))
        say(r, PE_RULE_NX_DYNAMIC_BASE, "DYNAMIC_BASE is not set");
}

static void check_relocation_blocks(const struct pe_image *image, uint32_t rva, uint32_t size,
                                    struct reporter *r)
{
    uint32_t image_size = optional32(image, PE_OH_SIZE_OF_IMAGE);
    size_t base;

    if (pe_rva_to_offset(image, rva, size, &base)) {
        say(r, PE_RULE_RELOCATIONS, "relocation table 0x%x+0x%x is outside the sections' data",
            rva, size);
        return;
    }
    for (uint32_t pos = 0; pos + 8 <= size;) {
        uint32_t page = pe_read32(image, base + pos);
        uint32_t block = pe_read32(image, base + pos + 4);
        if (block < 8 || block % 2 || block > size - pos) {
            say(r, PE_RULE_RELOCATIONS, "malformed relocation block at +0x%x (size %u)", pos, block);
            return;
        }
        for (uint32_t e = 8; e + 2 <= block; e += 2) {
            uint16_t entry = pe_read16(image, base + pos + e);
            unsigned type = entry >> 12;
            uint64_t target = (uint64_t)page + (entry & 0xFFFu);
            if (type == REL_BASED_ABSOLUTE)
                continue;
            if (type != REL_BASED_DIR64) {
                say(r, PE_RULE_RELOCATIONS, "relocation type %u at 0x%llx is not valid in x64 "
                                            "images", type, (unsigned long long)target);
                return;
            }
            if (target + 8 > image_size) {
                say(r, PE_RULE_RELOCATIONS, "relocation at 0x%llx is outside the image",
                    (unsigned long long)target);
                return;
            }
        }
        pos += block;
    }
}

static void check_relocations(const struct pe_image *image, struct reporter *r)
{
    uint32_t rva, size;

    if (pe_read16(image, image->file_header + PE_FH_CHARACTERISTICS) & PE_FILE_RELOCS_STRIPPED)
        say(r, PE_RULE_RELOCATIONS, "relocations were stripped at link time "
                                    "(IMAGE_FILE_RELOCS_STRIPPED): relink with --dynamicbase");
    if (!pe_directory(image, PE_DIR_BASERELOC, &rva, &size))
        say(r, PE_RULE_RELOCATIONS, "no base relocation table");
    else
        check_relocation_blocks(image, rva, size, r);
}

static void check_exports(const struct pe_image *image, const struct pe_policy *policy,
                          struct reporter *r)
{
    uint32_t rva, size;
    size_t offset;

    if (policy->allow_exports || !pe_directory(image, PE_DIR_EXPORT, &rva, &size))
        return;
    if (pe_rva_to_offset(image, rva, 40, &offset) == 0)
        say(r, PE_RULE_EXPORTS, "export table (%u exported names)",
            pe_read32(image, offset + 24));
    else
        say(r, PE_RULE_EXPORTS, "export directory 0x%x+0x%x", rva, size);
}

static void check_write_execute(const struct pe_image *image, struct reporter *r)
{
    for (unsigned i = 0; i < image->section_count; i++) {
        struct pe_section s = pe_section(image, i);
        if ((s.flags & PE_SCN_MEM_WRITE) && (s.flags & PE_SCN_MEM_EXECUTE))
            say(r, PE_RULE_WRITE_EXECUTE, "section %s is writable and executable", s.name);
    }
}

static void check_init(const struct pe_image *image, struct reporter *r)
{
    for (unsigned i = 0; i < image->section_count; i++) {
        struct pe_section s = pe_section(image, i);
        if (strcmp(s.name, "INIT") == 0 && !(s.flags & PE_SCN_MEM_DISCARDABLE))
            say(r, PE_RULE_INIT_DISCARDABLE, "section INIT is not discardable");
    }
}

static int module_allowed(const struct pe_policy *policy, const char *module)
{
    if (pe_same_name(module, "ntoskrnl.exe") || pe_same_name(module, "hal.dll") ||
        pe_same_name(module, "FLTMGR.SYS") || pe_same_name(module, "NETIO.SYS"))
        return 1;
    for (unsigned i = 0; i < policy->extra_import_count; i++)
        if (pe_same_name(module, policy->extra_imports[i]))
            return 1;
    return 0;
}

/* Appends the names imported through a thunk array to list, e.g. "printf, malloc". */
static void describe_thunks(const struct pe_image *image, uint32_t thunks, char *list, size_t size)
{
    size_t used = 0;
    size_t offset;

    list[0] = '\0';
    for (unsigned i = 0; i < MAX_THUNKS; i++) {
        if (pe_rva_to_offset(image, thunks + i * 8u, 8, &offset))
            break;
        uint64_t thunk = pe_read32(image, offset) | (uint64_t)pe_read32(image, offset + 4) << 32;
        if (thunk == 0)
            break;
        char name[64];
        const char *s = NULL;
        if (thunk >> 63)
            snprintf(name, sizeof(name), "#%u", (unsigned)(thunk & 0xFFFF));
        else if ((s = pe_string_at(image, (uint32_t)thunk + 2)) != NULL)
            snprintf(name, sizeof(name), "%s", s);
        else
            snprintf(name, sizeof(name), "?");
        int n = snprintf(list + used, size - used, "%s%s", used ? ", " : "", name);
        if (n < 0 || (size_t)n >= size - used) {
            snprintf(list + size - 5, 5, "...");
            break;
        }
        used += (size_t)n;
    }
}

static int in_executable_section(const struct pe_image *image, uint32_t rva)
{
    int section = pe_section_of_rva(image, rva);

    return section >= 0 && (pe_section(image, (unsigned)section).flags & PE_SCN_MEM_EXECUTE);
}

static void check_imports(const struct pe_image *image, const struct pe_policy *policy,
                          struct reporter *r)
{
    uint32_t rva, size;

    if (pe_directory(image, PE_DIR_DELAY_IMPORT, &rva, &size))
        say(r, PE_RULE_IMPORTS, "delay-load imports: the kernel has no delay-load helper");
    if (pe_directory(image, PE_DIR_IAT, &rva, &size) && in_executable_section(image, rva))
        say(r, PE_RULE_IAT, "import address table at 0x%x is in an executable section", rva);
    if (!pe_directory(image, PE_DIR_IMPORT, &rva, &size))
        return;
    for (uint32_t i = 0;; i++) {
        size_t d;
        if (i == MAX_IMPORT_MODULES) {
            say(r, PE_RULE_IMPORTS, "no end of the import descriptors after %u of them", i);
            return;
        }
        if (pe_rva_to_offset(image, rva + i * IMPORT_DESCRIPTOR_SIZE, IMPORT_DESCRIPTOR_SIZE, &d)) {
            say(r, PE_RULE_IMPORTS, "import descriptor %u is outside the sections' data", i);
            return;
        }
        uint32_t lookup = pe_read32(image, d);
        uint32_t name_rva = pe_read32(image, d + 12);
        uint32_t first_thunk = pe_read32(image, d + 16);
        if (lookup == 0 && name_rva == 0 && first_thunk == 0)
            return;
        const char *module = pe_string_at(image, name_rva);
        if (!module) {
            say(r, PE_RULE_IMPORTS, "import descriptor %u has no readable module name", i);
            continue;
        }
        if (!module_allowed(policy, module)) {
            char names[256];
            describe_thunks(image, lookup ? lookup : first_thunk, names, sizeof(names));
            say(r, PE_RULE_IMPORTS, "imports from %s: %s", module, names);
        }
        if (in_executable_section(image, first_thunk))
            say(r, PE_RULE_IAT, "import address table of %s is in an executable section", module);
    }
}

/* Leaf functions need no unwind data, so an image may lack .pdata; add_wdm_driver compiles with
 * unwind tables for the others. What is there must be usable: sorted, disjoint, pointing at code,
 * and each __try's scope table protecting something inside its function (seh_scopes.h). */
static void check_unwind(const struct pe_image *image, struct reporter *r)
{
    uint32_t rva, size, previous_end = 0;
    size_t base;

    if (!pe_directory(image, PE_DIR_EXCEPTION, &rva, &size))
        return;
    if (size % 12 || pe_rva_to_offset(image, rva, size, &base)) {
        say(r, PE_RULE_UNWIND, "exception directory 0x%x+0x%x is malformed", rva, size);
        return;
    }
    for (uint32_t pos = 0; pos < size; pos += 12) {
        uint32_t begin = pe_read32(image, base + pos);
        uint32_t end = pe_read32(image, base + pos + 4);
        uint32_t unwind = pe_read32(image, base + pos + 8);
        if (begin >= end || !in_executable_section(image, begin) ||
            !in_executable_section(image, end - 1)) {
            say(r, PE_RULE_UNWIND, "unwind entry %u covers 0x%x-0x%x, which is not code",
                pos / 12, begin, end);
            return;
        }
        if (begin < previous_end) {
            say(r, PE_RULE_UNWIND, "unwind entry %u (0x%x) is out of order: the kernel "
                                   "binary-searches this table", pos / 12, begin);
            return;
        }
        if (pe_section_of_rva(image, unwind & ~1u) < 0) {
            say(r, PE_RULE_UNWIND, "unwind entry %u points at 0x%x, outside the image", pos / 12,
                unwind);
            return;
        }
        char problem[320];
        if (seh_scope_problem(image, begin, end, unwind, problem, sizeof(problem))) {
            say(r, PE_RULE_UNWIND, "%s", problem);
            return;
        }
        previous_end = end;
    }
}

/* A section header's name "/<digits>" that the string table did not spell out. */
static int is_unresolved_long_name(const char *name)
{
    if (name[0] != '/' || name[1] == '\0')
        return 0;
    for (const char *p = name + 1; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

static int uses_long_names(const struct pe_image *image)
{
    for (unsigned i = 0; i < image->section_count; i++)
        if (image->data[pe_section_header(image, i)] == '/' &&
            !is_unresolved_long_name(pe_section(image, i).name))
            return 1;
    return 0;
}

/* The one COFF symbol table an image keeps: the carrier of its long section names (GNU tools
 * write .gnu_debuglink's name as "/4", offset 4 of the string table), in the shape
 * `objcopy --strip-all --keep-symbol=DriverEntry` leaves: directly after the last section, at
 * most one symbol (with at most one auxiliary record, as GCC gives a function), then the
 * string table, which a section name uses. One symbol, because Wine 8's dbghelp reads the
 * string table (and so finds .gnu_debuglink) only when there is a symbol; it reads that symbol
 * without bounds checks, so its records must fill the table exactly and its name be inside. */
static int is_name_table(const struct pe_image *image)
{
    uint32_t symbols = pe_read32(image, image->file_header + PE_FH_POINTER_TO_SYMBOL_TABLE);
    uint32_t count = pe_read32(image, image->file_header + PE_FH_NUMBER_OF_SYMBOLS);

    if (!image->string_table || symbols != pe_sections_end(image) || count > 2 ||
        image->string_table != (size_t)symbols + (size_t)count * PE_SYMBOL_SIZE)
        return 0;
    if (count > 0) {
        uint32_t short_name = pe_read32(image, symbols), long_name = pe_read32(image, symbols + 4);
        if (1u + image->data[symbols + 17] != count || /* NumberOfAuxSymbols */
            (short_name == 0 && (long_name < 4 || long_name >= image->string_table_size)))
            return 0;
    }
    return uses_long_names(image);
}

/* Where the image's content ends: after the sections, or after the name table that follows
 * them. Only a signature may come after it. */
static size_t content_end(const struct pe_image *image)
{
    return is_name_table(image) ? image->string_table + image->string_table_size
                                : pe_sections_end(image);
}

static void check_leftovers(const struct pe_image *image, struct reporter *r)
{
    uint32_t symbols = pe_read32(image, image->file_header + PE_FH_POINTER_TO_SYMBOL_TABLE);
    uint32_t symbol_count = pe_read32(image, image->file_header + PE_FH_NUMBER_OF_SYMBOLS);
    uint32_t rva, size;

    for (unsigned i = 0; i < image->section_count; i++) {
        struct pe_section s = pe_section(image, i);
        if (strcmp(s.name, ".buildid") == 0)
            say(r, PE_RULE_LEFTOVERS, "section .buildid (lld's home for the debug directory: "
                                      "link with -Wl,--Xlink=-merge:.buildid=.rdata to keep "
                                      "it, in .rdata)");
        else if (is_leftover_section(s.name))
            say(r, PE_RULE_LEFTOVERS, "section %s", s.name);
        else if (is_unresolved_long_name(s.name))
            say(r, PE_RULE_LEFTOVERS, "section %s: a long name without the string table that "
                                      "spells it", s.name);
    }
    if ((symbols || symbol_count) && !is_name_table(image))
        say(r, PE_RULE_LEFTOVERS, "COFF symbol table (%u symbols): link with -s, or strip with "
                                  "objcopy --strip-all", symbol_count);

    size_t end = content_end(image);
    /* The certificate table's "RVA" is a file offset; it follows the content, 8-byte aligned. */
    if (pe_directory(image, PE_DIR_SECURITY, &rva, &size) && rva >= end && rva - end < 8 &&
        (uint64_t)rva + size == image->size)
        return;
    if (image->size > end)
        say(r, PE_RULE_LEFTOVERS, "%lu bytes of data after the last section",
            (unsigned long)(image->size - end));
}

/* Length of the text at name up to its NUL, or room when there is none. */
static size_t text_length(const char *name, size_t room)
{
    const char *nul = memchr(name, '\0', room);

    return nul ? (size_t)(nul - name) : room;
}

/* A file name a debugger looks for beside the image or on its symbol path, not a build path. */
static int is_bare_file_name(const char *name, size_t length)
{
    if (length == 0 || length > MAX_DEBUG_FILE_NAME || strcmp(name, ".") == 0 ||
        strcmp(name, "..") == 0)
        return 0;
    for (size_t i = 0; i < length; i++)
        if (name[i] == '/' || name[i] == '\\' || name[i] == ':' || (unsigned char)name[i] < 0x20)
            return 0;
    return 1;
}

/* Debuggers read the CodeView record from memory too (a crash dump, a live kernel): it must be
 * in read-only data the kernel keeps resident, not discarded after load and not paged out. */
static void check_resident_data(const struct pe_image *image, uint32_t rva, const char *what,
                                struct reporter *r)
{
    struct pe_section s = pe_section(image, (unsigned)pe_section_of_rva(image, rva));

    if ((s.flags & (PE_SCN_MEM_WRITE | PE_SCN_MEM_EXECUTE | PE_SCN_MEM_DISCARDABLE)) ||
        is_pageable(&s))
        say(r, PE_RULE_DEBUG_INFO, "%s is in section %s (flags 0x%08x), not in resident "
                                   "read-only data such as .rdata", what, s.name, s.flags);
}

/* The PDB 7.0 record: "RSDS", the PDB's GUID and age, its file name with one NUL at the end. */
static void check_rsds(const struct pe_image *image, size_t record, uint32_t size,
                       struct reporter *r)
{
    static const uint8_t no_guid[16];
    const char *name = (const char *)image->data + record + RSDS_HEADER_SIZE;
    size_t name_room = size - RSDS_HEADER_SIZE;

    if (memcmp(image->data + record, "RSDS", 4) != 0) {
        say(r, PE_RULE_DEBUG_INFO, "the CodeView record is not RSDS (a PDB 7.0 reference)");
        return;
    }
    if (memcmp(image->data + record + 4, no_guid, sizeof(no_guid)) == 0)
        say(r, PE_RULE_DEBUG_INFO, "the CodeView record's PDB GUID is zero");
    if (pe_read32(image, record + 20) == 0)
        say(r, PE_RULE_DEBUG_INFO, "the CodeView record's PDB age is 0");
    size_t length = text_length(name, name_room);
    if (length + 1 != name_room)
        say(r, PE_RULE_DEBUG_INFO, "the CodeView record's PDB name (%u bytes of %u) does not "
                                   "end at its one NUL", (unsigned)length, (unsigned)name_room);
    else if (!is_bare_file_name(name, length))
        say(r, PE_RULE_DEBUG_INFO, "the CodeView record names \"%.*s\", not a bare file name: "
                                   "link with -Wl,--Xlink=-pdbaltpath:<name>.pdb",
            (int)length, name);
}

/* The debug directory, when there is one: exactly one IMAGE_DEBUG_TYPE_CODEVIEW entry, both it
 * and its record inside the sections' data, the record's file offset where its RVA is. */
static void check_debug_directory(const struct pe_image *image, struct reporter *r)
{
    uint32_t rva, size;
    size_t entry, record;

    if (!pe_directory(image, PE_DIR_DEBUG, &rva, &size))
        return;
    if (size != DEBUG_ENTRY_SIZE) {
        say(r, PE_RULE_DEBUG_INFO, "debug directory of %u bytes: one CodeView entry (28 bytes) "
                                   "is what a driver keeps", size);
        return;
    }
    if (pe_rva_to_offset(image, rva, size, &entry)) {
        say(r, PE_RULE_DEBUG_INFO, "debug directory 0x%x+0x%x is outside the sections' data",
            rva, size);
        return;
    }
    check_resident_data(image, rva, "the debug directory", r);
    uint32_t type = pe_read32(image, entry + 12);
    uint32_t data_size = pe_read32(image, entry + 16);
    uint32_t data_rva = pe_read32(image, entry + 20);
    uint32_t data_offset = pe_read32(image, entry + 24);
    if (type != DEBUG_TYPE_CODEVIEW) {
        say(r, PE_RULE_DEBUG_INFO, "debug directory entry of type %u, not CodeView (2)", type);
        return;
    }
    if (data_size < RSDS_HEADER_SIZE + 2 || data_size > RSDS_HEADER_SIZE + MAX_DEBUG_FILE_NAME + 1 ||
        data_rva == 0 || pe_rva_to_offset(image, data_rva, data_size, &record)) {
        say(r, PE_RULE_DEBUG_INFO, "CodeView record 0x%x+0x%x is not an RSDS record inside the "
                                   "sections' data", data_rva, data_size);
        return;
    }
    if (record != data_offset)
        say(r, PE_RULE_DEBUG_INFO, "CodeView record at 0x%x says file offset 0x%x, but it is at "
                                   "0x%lx", data_rva, data_offset, (unsigned long)record);
    check_resident_data(image, data_rva, "the CodeView record", r);
    check_rsds(image, record, data_size, r);
}

/* .gnu_debuglink (GNU tools): the name of the file holding the DWARF, a NUL, zeros up to a
 * multiple of 4 bytes, then that file's CRC-32. Debuggers read it from the file on disk, never
 * from memory: the section is read-only data and discardable, so that it costs the loaded
 * driver no memory. */
static void check_debuglink(const struct pe_image *image, struct reporter *r)
{
    unsigned found = 0;

    for (unsigned i = 0; i < image->section_count; i++) {
        struct pe_section s = pe_section(image, i);
        if (strcmp(s.name, ".gnu_debuglink") != 0)
            continue;
        if (++found == 2)
            say(r, PE_RULE_DEBUG_INFO, "more than one .gnu_debuglink section");
        if ((s.flags & (PE_SCN_MEM_WRITE | PE_SCN_MEM_EXECUTE)) ||
            !(s.flags & PE_SCN_MEM_DISCARDABLE))
            say(r, PE_RULE_DEBUG_INFO, "section .gnu_debuglink (flags 0x%08x) is not "
                                       "discardable read-only data", s.flags);
        uint32_t size = s.virtual_size ? s.virtual_size : s.raw_size;
        const char *name = (const char *)image->data + s.raw_offset;
        size_t length = size <= s.raw_size ? text_length(name, size) : size;
        if (length >= size) {
            say(r, PE_RULE_DEBUG_INFO, "section .gnu_debuglink (%u bytes) holds no "
                                       "NUL-terminated file name", size);
            continue;
        }
        if (pe_align_up(length + 1, 4) + 4 != size)
            say(r, PE_RULE_DEBUG_INFO, "section .gnu_debuglink is %u bytes; a name of %u bytes "
                                       "and its CRC make %u", size, (unsigned)length,
                (unsigned)(pe_align_up(length + 1, 4) + 4));
        if (!is_bare_file_name(name, length))
            say(r, PE_RULE_DEBUG_INFO, "section .gnu_debuglink names \"%.*s\", not a bare file "
                                       "name", (int)(length > 80 ? 80 : length), name);
    }
}

static void check_paging(const struct pe_image *image, struct reporter *r)
{
    for (unsigned i = 0; i < image->section_count; i++) {
        struct pe_section s = pe_section(image, i);
        if (is_leftover_section(s.name))
            continue; /* reported, and removed by fix, as such */
        if (is_pageable(&s) && (s.flags & (PE_SCN_MEM_DISCARDABLE | PE_SCN_MEM_NOT_PAGED)))
            say(r, PE_RULE_PAGING, "section %s is pageable by name but marked %s", s.name,
                s.flags & PE_SCN_MEM_DISCARDABLE ? "discardable" : "not paged");
        else if (!is_pageable(&s) && !(s.flags & (PE_SCN_MEM_DISCARDABLE | PE_SCN_MEM_NOT_PAGED)))
            say(r, PE_RULE_PAGING, "section %s stays resident but is not marked not paged",
                s.name);
    }
}

enum { WIN_CERT_REVISION_2_0 = 0x0200, WIN_CERT_TYPE_PKCS_SIGNED_DATA = 0x0002 };

/* The certificate table (its "RVA" is a file offset): WIN_CERTIFICATE entries, each 8-byte
 * aligned, filling the file's tail. */
static void check_signature(const struct pe_image *image, const struct pe_policy *policy,
                            struct reporter *r)
{
    uint32_t offset, size;

    if (!pe_directory(image, PE_DIR_SECURITY, &offset, &size)) {
        if (policy->require_signature)
            say(r, PE_RULE_SIGNATURE, "the image is not signed");
        return;
    }
    if (offset % 8 || offset < content_end(image) || (uint64_t)offset + size != image->size) {
        say(r, PE_RULE_SIGNATURE, "the certificate table (0x%x, %u bytes) is not the 8-byte "
                                  "aligned tail of the file (%lu bytes)",
            offset, size, (unsigned long)image->size);
        return;
    }
    for (uint32_t at = 0; at < size;) {
        uint32_t length = size - at >= 8 ? pe_read32(image, offset + at) : 0;
        if (length < 8 || length > size - at) {
            say(r, PE_RULE_SIGNATURE, "certificate entry at +%u has a bad length (%u)", at,
                length);
            return;
        }
        uint16_t revision = pe_read16(image, offset + at + 4);
        uint16_t type = pe_read16(image, offset + at + 6);
        if (revision != WIN_CERT_REVISION_2_0 || type != WIN_CERT_TYPE_PKCS_SIGNED_DATA)
            say(r, PE_RULE_SIGNATURE, "certificate entry at +%u is revision 0x%x type %u, not "
                                      "an Authenticode (PKCS#7) signature", at, revision, type);
        uint64_t next = ((uint64_t)at + length + 7) & ~(uint64_t)7; /* entries are 8-aligned */
        at = next < size ? (uint32_t)next : size;
    }
}

static void check_checksum(const struct pe_image *image, struct reporter *r)
{
    uint32_t stored = optional32(image, PE_OH_CHECKSUM);
    uint32_t computed = pe_compute_checksum(image);

    if (stored != computed)
        say(r, PE_RULE_CHECKSUM, "stored checksum 0x%08x, computed 0x%08x", stored, computed);
}

enum { TARGET_MAJOR_VERSION = 10 }; /* Windows 10: _WIN32_WINNT 0x0A00 */

static int header_version_is_target(const struct pe_image *image, size_t field)
{
    return optional16(image, field) == TARGET_MAJOR_VERSION && optional16(image, field + 2) == 0;
}

static void check_header(const struct pe_image *image, struct reporter *r)
{
    if (pe_read16(image, image->file_header + PE_FH_CHARACTERISTICS) & PE_FILE_DLL)
        say(r, PE_RULE_HEADER, "IMAGE_FILE_DLL is set");
    if (!header_version_is_target(image, PE_OH_MAJOR_OS_VERSION))
        say(r, PE_RULE_HEADER, "OS version %u.%u, not 10.0",
            optional16(image, PE_OH_MAJOR_OS_VERSION), optional16(image, PE_OH_MAJOR_OS_VERSION + 2));
    if (!header_version_is_target(image, PE_OH_MAJOR_SUBSYSTEM_VERSION))
        say(r, PE_RULE_HEADER, "subsystem version %u.%u, not 10.0",
            optional16(image, PE_OH_MAJOR_SUBSYSTEM_VERSION),
            optional16(image, PE_OH_MAJOR_SUBSYSTEM_VERSION + 2));
}

unsigned pe_check(const struct pe_image *image, const struct pe_policy *policy,
                  pe_report_fn report, void *context)
{
    struct reporter r = {report, context, 0};

    check_format(image, &r);
    check_alignment(image, &r);
    check_nx_dynamic_base(image, &r);
    check_relocations(image, &r);
    check_exports(image, policy, &r);
    check_write_execute(image, &r);
    check_init(image, &r);
    check_imports(image, policy, &r);
    check_unwind(image, &r);
    check_leftovers(image, &r);
    check_debug_directory(image, &r);
    check_debuglink(image, &r);
    check_paging(image, &r);
    check_signature(image, policy, &r);
    check_header(image, &r);
    check_checksum(image, &r);
    return r.count;
}

/* Linker leftovers go: trailing leftover sections (their names read before the symbol table
 * that may spell them goes), a symbol table that is not the name table, data after the
 * content. */
static void fix_leftovers(struct pe_image *image, struct reporter *r)
{
    struct pe_section trailing[96]; /* at most 96 sections (pe_open) */
    unsigned count = 0;
    uint32_t symbol_count = pe_read32(image, image->file_header + PE_FH_NUMBER_OF_SYMBOLS);
    uint32_t symbols = pe_read32(image, image->file_header + PE_FH_POINTER_TO_SYMBOL_TABLE);

    for (unsigned i = image->section_count; i > 1 && count < 96; i--) {
        trailing[count] = pe_section(image, i - 1);
        if (!is_leftover_section(trailing[count].name))
            break;
        count++;
    }
    if ((symbols || symbol_count) && !is_name_table(image)) {
        pe_drop_symbol_table(image);
        say(r, PE_RULE_LEFTOVERS, "dropped the COFF symbol table (%u symbols)", symbol_count);
    }
    for (unsigned i = 0; i < count; i++) {
        const struct pe_section *last = &trailing[i];
        uint32_t rva, size;
        if (pe_remove_last_section(image))
            break;
        if (pe_directory(image, PE_DIR_DEBUG, &rva, &size) && rva >= last->virtual_address &&
            rva - last->virtual_address < last->virtual_size)
            pe_set_directory(image, PE_DIR_DEBUG, 0, 0);
        say(r, PE_RULE_LEFTOVERS, "removed section %s", last->name);
    }
    size_t end = content_end(image);
    if (image->size > end) {
        say(r, PE_RULE_LEFTOVERS, "dropped %lu bytes after the last section",
            (unsigned long)(image->size - end));
        pe_truncate(image, end);
    }
}

static void fix_exports(struct pe_image *image, const struct pe_policy *policy, struct reporter *r)
{
    uint32_t rva, size;

    if (policy->allow_exports || !pe_directory(image, PE_DIR_EXPORT, &rva, &size))
        return;
    pe_set_directory(image, PE_DIR_EXPORT, 0, 0);
    say(r, PE_RULE_EXPORTS, "cleared the export directory");
}

/* A linker that found no absolute address to relocate may emit no table at all, while Windows
 * wants one: an empty block (two padding entries) is exactly "nothing to relocate". */
static void fix_relocations(struct pe_image *image, struct reporter *r)
{
    uint32_t rva, size;
    uint8_t block[12] = {0, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0};
    size_t offset;

    if (pe_directory(image, PE_DIR_BASERELOC, &rva, &size) ||
        (pe_read16(image, image->file_header + PE_FH_CHARACTERISTICS) & PE_FILE_RELOCS_STRIPPED))
        return; /* a table exists, or absolute addresses may exist without one: not fixable */
    if (pe_append_section(image, ".reloc", block, sizeof(block),
                          PE_SCN_CNT_INITIALIZED_DATA | PE_SCN_MEM_READ | PE_SCN_MEM_DISCARDABLE,
                          &rva))
        return;
    if (pe_rva_to_offset(image, rva, 4, &offset) == 0)
        pe_write32(image, offset, rva); /* the block describes the section's own page */
    pe_set_directory(image, PE_DIR_BASERELOC, rva, sizeof(block));
    say(r, PE_RULE_RELOCATIONS, "added an empty relocation table");
}

static void fix_header(struct pe_image *image, struct reporter *r)
{
    size_t characteristics = image->file_header + PE_FH_CHARACTERISTICS;
    static const size_t versions[] = {PE_OH_MAJOR_OS_VERSION, PE_OH_MAJOR_SUBSYSTEM_VERSION};

    if (pe_read16(image, characteristics) & PE_FILE_DLL) {
        pe_write16(image, characteristics, pe_read16(image, characteristics) & ~PE_FILE_DLL);
        say(r, PE_RULE_HEADER, "cleared IMAGE_FILE_DLL");
    }
    for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
        if (header_version_is_target(image, versions[i]))
            continue;
        pe_write16(image, image->optional_header + versions[i], TARGET_MAJOR_VERSION);
        pe_write16(image, image->optional_header + versions[i] + 2, 0);
        say(r, PE_RULE_HEADER, "%s version 10.0", i ? "subsystem" : "OS");
    }
}

static void fix_nx_dynamic_base(struct pe_image *image, struct reporter *r)
{
    size_t field = image->optional_header + PE_OH_DLL_CHARACTERISTICS;
    uint16_t flags = pe_read16(image, field);
    uint32_t rva, size;
    uint16_t wanted = PE_DLL_NX_COMPAT;

    /* Claiming DYNAMIC_BASE is only true when the image can be relocated. */
    if (pe_directory(image, PE_DIR_BASERELOC, &rva, &size))
        wanted |= PE_DLL_DYNAMIC_BASE;
    if ((flags & wanted) == wanted)
        return;
    pe_write16(image, field, flags | wanted);
    say(r, PE_RULE_NX_DYNAMIC_BASE, "set NX_COMPAT and DYNAMIC_BASE");
}

static void fix_init(struct pe_image *image, struct reporter *r)
{
    for (unsigned i = 0; i < image->section_count; i++) {
        struct pe_section s = pe_section(image, i);
        if (strcmp(s.name, "INIT") == 0 && !(s.flags & PE_SCN_MEM_DISCARDABLE)) {
            pe_write32(image, pe_section_header(image, i) + 36, s.flags | PE_SCN_MEM_DISCARDABLE);
            say(r, PE_RULE_INIT_DISCARDABLE, "marked INIT discardable");
        }
    }
}

static void fix_paging(struct pe_image *image, struct reporter *r)
{
    for (unsigned i = 0; i < image->section_count; i++) {
        struct pe_section s = pe_section(image, i);
        uint32_t flags = s.flags;
        if (is_pageable(&s))
            flags &= ~(uint32_t)PE_SCN_MEM_NOT_PAGED;
        else if (!(flags & PE_SCN_MEM_DISCARDABLE))
            flags |= PE_SCN_MEM_NOT_PAGED;
        if (flags != s.flags) {
            pe_write32(image, pe_section_header(image, i) + 36, flags);
            say(r, PE_RULE_PAGING, "marked %s %s", s.name,
                is_pageable(&s) ? "pageable" : "not paged");
        }
    }
}

static void fix_checksum(struct pe_image *image, struct reporter *r)
{
    uint32_t stored = optional32(image, PE_OH_CHECKSUM);
    uint32_t computed = pe_compute_checksum(image);

    if (stored == computed)
        return;
    pe_write32(image, image->optional_header + PE_OH_CHECKSUM, computed);
    say(r, PE_RULE_CHECKSUM, "checksum 0x%08x (was 0x%08x)", computed, stored);
}

unsigned pe_fix(struct pe_image *image, const struct pe_policy *policy, pe_report_fn changed,
                void *changed_context, pe_report_fn remaining, void *remaining_context)
{
    struct reporter r = {changed, changed_context, 0};
    uint32_t rva, size;

    if (pe_directory(image, PE_DIR_SECURITY, &rva, &size)) {
        struct reporter refused = {remaining, remaining_context, 0};
        say(&refused, PE_RULE_FORMAT, "the image is signed: fix it before signing, not after");
        return refused.count;
    }
    fix_leftovers(image, &r);
    fix_exports(image, policy, &r);
    fix_relocations(image, &r);
    fix_nx_dynamic_base(image, &r);
    fix_header(image, &r);
    fix_init(image, &r);
    fix_paging(image, &r); /* after fix_init: INIT is discardable, not "not paged" */
    fix_checksum(image, &r); /* last: every edit above changes the sum */
    return pe_check(image, policy, remaining, remaining_context);
}

/* The routines whose documentation says they refuse an image without FORCE_INTEGRITY (0x80):
 * PsSetCreateProcessNotifyRoutineEx and ...Ex2 in so many words, ObRegisterCallbacks as "not
 * in a signed kernel binary image", the check its sample links /INTEGRITYCHECK for. */
int pe_integrity_check_missing(const struct pe_image *image, char *name, size_t size)
{
    static const char *const needing[] = {"ObRegisterCallbacks",
                                          "PsSetCreateProcessNotifyRoutineEx",
                                          "PsSetCreateProcessNotifyRoutineEx2"};
    const uint16_t force_integrity = 0x0080;
    uint32_t rva, directory_size;
    size_t d, t;

    if ((optional16(image, PE_OH_DLL_CHARACTERISTICS) & force_integrity) ||
        !pe_directory(image, PE_DIR_IMPORT, &rva, &directory_size))
        return 0;
    for (uint32_t i = 0; !pe_rva_to_offset(image, rva + i * IMPORT_DESCRIPTOR_SIZE,
                                           IMPORT_DESCRIPTOR_SIZE, &d);
         i++) {
        uint32_t thunks = pe_read32(image, d) ? pe_read32(image, d) : pe_read32(image, d + 16);
        if (thunks == 0)
            return 0;
        for (uint32_t j = 0; j < MAX_THUNKS && !pe_rva_to_offset(image, thunks + j * 8u, 8, &t);
             j++) {
            uint64_t thunk = pe_read32(image, t) | (uint64_t)pe_read32(image, t + 4) << 32;
            const char *imported = thunk >> 63 ? NULL : pe_string_at(image, (uint32_t)thunk + 2);
            if (thunk == 0)
                break;
            for (size_t k = 0; imported && k < sizeof(needing) / sizeof(needing[0]); k++) {
                if (strcmp(imported, needing[k]) == 0) {
                    snprintf(name, size, "%s", imported);
                    return 1;
                }
            }
        }
    }
    return 0;
}
