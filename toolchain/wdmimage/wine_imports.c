/*
 * wdmimage wine-imports: which of a driver's imports the installed Wine lacks, read from Wine's
 * own PE builtins (ntoskrnl.exe, hal.dll, any other module the driver binds to). Wine binds an
 * import its module does not export to a stub of its loader, and builds every `@ stub` line of
 * its .spec files into a winebuild thunk; either kind ends the driver host at the first call
 * ("Unimplemented function ntoskrnl.exe.X"), so both are named before the driver runs.
 *
 * A winebuild stub is recognised by its code, not by a symbol (Wine's DLLs may be stripped):
 *     sub $0x28,%rsp; lea <module name>(%rip),%rcx; lea <function name>(%rip),%rdx; call
 * with the two strings being the DLL's own name and the export's name: the arguments of
 * __wine_spec_unimplemented_stub(module, function). An export that only jumps through its
 * import table (Wine's ntoskrnl re-exports ntdll's functions that way) and a forwarder are
 * followed into the module they lead to.
 *
 * wdmimage calls: where an image calls an import (the crash report of the Wine harness names the
 * callers of KeBugCheckEx, which under Wine 8 ends the host without an exception to trace).
 */
#include "wine_imports.h"

#include "pe_image.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
    EXIT_FINDINGS = 1,
    EXIT_USAGE = 2,
    IMPORT_DESCRIPTOR_SIZE = 20,
    EXPORT_DIRECTORY_SIZE = 40,
    MAX_IMPORT_MODULES = 1024, /* as pe_rules.c: past that, a damaged table */
    MAX_THUNKS = 65536,
    MAX_EXPORTS = 65536,   /* ordinals are 16-bit */
    MAX_MODULES = 16,      /* Wine modules opened in one run */
    MAX_FOLLOW = 3,        /* re-exports followed from module to module */
    MAX_DIRS = 8,
    MAX_NAME = 256,
    MAX_CALLS = 4096,
    STUB_CODE = 19,        /* bytes of a winebuild stub: sub, two lea, call */
};

/* One import of an image: its module, its name (NULL for an ordinal) and its IAT slot. */
struct import {
    const char *module;
    const char *name;
    unsigned ordinal;
    uint32_t slot;
};

typedef int (*import_fn)(void *context, const struct import *import);

/* An opened Wine module and its export directory. */
struct wine_module {
    char name[MAX_NAME]; /* as imported, lower case */
    char path[1024];
    int found;
    int unreadable; /* there, but not a PE image with a sound export table */
    struct pe_image image;
    uint32_t exports_rva, exports_size;
    uint32_t function_count, name_count;
    size_t functions, names, ordinals; /* file offsets of the three arrays */
};

struct wine {
    const char *dirs[MAX_DIRS];
    unsigned dir_count;
    struct wine_module modules[MAX_MODULES];
    unsigned module_count;
    int verbose;
};

enum verdict { IMPLEMENTED, MISSING_MODULE, NOT_EXPORTED, STUB, UNREADABLE };

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* Reads a PE image whole. */
static int read_image(const char *path, struct pe_image *image)
{
    struct stat st;
    char err[256];
    uint8_t *data;
    FILE *f;

    if (stat(path, &st) != 0) {
        fprintf(stderr, "wdmimage: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        fprintf(stderr, "wdmimage: %s: not a file\n", path);
        return -1;
    }
    if (st.st_size > PE_MAX_FILE_SIZE) {
        fprintf(stderr, "wdmimage: %s: larger than %d MiB: not a driver or Wine DLL\n", path,
                PE_MAX_FILE_SIZE >> 20);
        return -1;
    }
    size_t size = (size_t)st.st_size;
    if (!(f = fopen(path, "rb"))) {
        fprintf(stderr, "wdmimage: %s: %s\n", path, strerror(errno));
        return -1;
    }
    data = malloc(size ? size : 1);
    if (!data || fread(data, 1, size, f) != size) {
        fprintf(stderr, "wdmimage: %s: %s\n", path, data ? "short read" : "out of memory");
        free(data);
        fclose(f);
        return -1;
    }
    fclose(f);
    if (pe_open(image, data, size, err, sizeof(err)) != 0) { /* frees data */
        fprintf(stderr, "wdmimage: %s: %s\n", path, err);
        return -1;
    }
    return 0;
}

/* Calls fn for each import of image, until it returns non-zero (that value is returned). A
 * damaged table ends the walk with -1. */
static int for_each_import(const struct pe_image *image, import_fn fn, void *context)
{
    uint32_t rva, size;

    if (!pe_directory(image, PE_DIR_IMPORT, &rva, &size))
        return 0;
    for (uint32_t i = 0; i < MAX_IMPORT_MODULES; i++) {
        size_t d;
        if (pe_rva_to_offset(image, rva + i * IMPORT_DESCRIPTOR_SIZE, IMPORT_DESCRIPTOR_SIZE, &d))
            return -1;
        uint32_t lookup = pe_read32(image, d);
        uint32_t name_rva = pe_read32(image, d + 12);
        uint32_t first_thunk = pe_read32(image, d + 16);
        if (lookup == 0 && name_rva == 0 && first_thunk == 0)
            return 0;
        const char *module = pe_string_at(image, name_rva);
        if (!module)
            return -1;
        uint32_t thunks = lookup ? lookup : first_thunk;
        for (uint32_t t = 0; t < MAX_THUNKS; t++) {
            size_t offset;
            if (pe_rva_to_offset(image, thunks + t * 8u, 8, &offset))
                return -1;
            uint64_t thunk =
                pe_read32(image, offset) | (uint64_t)pe_read32(image, offset + 4) << 32;
            if (thunk == 0)
                break;
            struct import import = {module, NULL, 0, first_thunk + t * 8u};
            if (thunk >> 63)
                import.ordinal = (unsigned)(thunk & 0xFFFF);
            else if (!(import.name = pe_string_at(image, (uint32_t)thunk + 2)))
                return -1;
            int rc = fn(context, &import);
            if (rc)
                return rc;
        }
    }
    return -1;
}

static int read_exports(struct wine_module *m)
{
    const struct pe_image *image = &m->image;
    size_t d;

    if (!pe_directory(image, PE_DIR_EXPORT, &m->exports_rva, &m->exports_size))
        return 0; /* exports nothing */
    if (pe_rva_to_offset(image, m->exports_rva, EXPORT_DIRECTORY_SIZE, &d))
        return -1;
    m->function_count = pe_read32(image, d + 20);
    m->name_count = pe_read32(image, d + 24);
    if (m->function_count > MAX_EXPORTS || m->name_count > m->function_count ||
        pe_rva_to_offset(image, pe_read32(image, d + 28), m->function_count * 4, &m->functions) ||
        pe_rva_to_offset(image, pe_read32(image, d + 32), m->name_count * 4, &m->names) ||
        pe_rva_to_offset(image, pe_read32(image, d + 36), m->name_count * 2, &m->ordinals))
        return -1;
    return 0;
}

/* The Wine module of that name, opened once; NULL when it cannot be read. */
static struct wine_module *open_module(struct wine *w, const char *name)
{
    struct wine_module *m;
    size_t length = strlen(name);

    if (length == 0 || length >= MAX_NAME || strchr(name, '/'))
        return NULL;
    for (unsigned i = 0; i < w->module_count; i++)
        if (pe_same_name(w->modules[i].name, name))
            return w->modules[i].unreadable ? NULL : &w->modules[i];
    if (w->module_count == MAX_MODULES)
        return NULL;
    m = &w->modules[w->module_count++];
    memset(m, 0, sizeof(*m));
    for (size_t i = 0; i <= length; i++) /* Wine's files have lower-case names */
        m->name[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
    for (unsigned i = 0; i < w->dir_count && !m->found; i++) {
        char path[sizeof(m->path)];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", w->dirs[i], m->name);
        memcpy(m->path, path, sizeof(path));
        if (stat(m->path, &st) != 0)
            continue;
        if (read_image(m->path, &m->image) != 0) {
            m->unreadable = 1;
            return NULL;
        }
        if (read_exports(m) != 0) {
            fprintf(stderr, "wdmimage: %s: damaged export directory\n", m->path);
            pe_close(&m->image);
            m->unreadable = 1;
            return NULL;
        }
        m->found = 1;
    }
    return m;
}

/* The RVA of the named export, 0 when there is none. */
static uint32_t find_export(const struct wine_module *m, const char *name)
{
    const struct pe_image *image = &m->image;

    for (uint32_t i = 0; i < m->name_count; i++) {
        const char *s = pe_string_at(image, pe_read32(image, m->names + (size_t)i * 4));
        if (!s || strcmp(s, name) != 0)
            continue;
        uint16_t index = pe_read16(image, m->ordinals + (size_t)i * 2);
        return index < m->function_count ? pe_read32(image, m->functions + (size_t)index * 4) : 0;
    }
    return 0;
}

static int is_forwarder(const struct wine_module *m, uint32_t rva)
{
    return rva >= m->exports_rva && rva - m->exports_rva < m->exports_size;
}

/* The target of a RIP-relative operand: next is the RVA of the next instruction. */
static uint32_t rip_target(const uint8_t *displacement, uint32_t next)
{
    uint32_t d = (uint32_t)displacement[0] | (uint32_t)displacement[1] << 8 |
                 (uint32_t)displacement[2] << 16 | (uint32_t)displacement[3] << 24;

    return next + d; /* wraps as the CPU does */
}

/* Whether the code at rva is winebuild's stub for `name` of module m (see the top comment). */
static int is_stub(const struct wine_module *m, uint32_t rva, const char *name)
{
    const struct pe_image *image = &m->image;
    const char *module_string = NULL, *function_string = NULL;
    size_t offset;
    unsigned i = 0;

    if (pe_rva_to_offset(image, rva, STUB_CODE, &offset))
        return 0;
    const uint8_t *code = image->data + offset;
    if (code[0] == 0x48 && code[1] == 0x83 && code[2] == 0xEC) /* sub $imm8,%rsp */
        i = 4;
    for (int lea = 0; lea < 2; lea++, i += 7) {
        if (code[i] != 0x48 || code[i + 1] != 0x8D)
            return 0;
        const char *s = pe_string_at(image, rip_target(code + i + 3, rva + i + 7));
        if (code[i + 2] == 0x0D) /* lea ...(%rip),%rcx */
            module_string = s;
        else if (code[i + 2] == 0x15) /* lea ...(%rip),%rdx */
            function_string = s;
        else
            return 0;
    }
    return (code[i] == 0xE8 || code[i] == 0xE9) && module_string && function_string &&
           pe_same_name(module_string, m->name) && strcmp(function_string, name) == 0;
}

struct slot_search {
    uint32_t slot;
    const struct import *found;
    struct import copy;
};

static int match_slot(void *context, const struct import *import)
{
    struct slot_search *s = context;

    if (import->slot != s->slot)
        return 0;
    s->copy = *import;
    s->found = &s->copy;
    return 1;
}

static enum verdict classify(struct wine *w, const char *module, const char *name, int depth,
                             const struct wine_module **where);

/* An export that only jumps through the module's own import table: where it leads. */
static int follow_jump(struct wine *w, const struct wine_module *m, uint32_t rva, int depth,
                       enum verdict *verdict, const struct wine_module **where)
{
    size_t offset;
    unsigned i = 0;

    if (pe_rva_to_offset(&m->image, rva, 7, &offset))
        return 0;
    const uint8_t *code = m->image.data + offset;
    if (code[0] == 0x48) /* REX.W jmp */
        i = 1;
    if (code[i] != 0xFF || code[i + 1] != 0x25)
        return 0;
    struct slot_search search = {rip_target(code + i + 2, rva + i + 6), NULL, {0}};
    if (for_each_import(&m->image, match_slot, &search) != 1 || !search.found->name)
        return 0;
    *verdict = classify(w, search.found->module, search.found->name, depth + 1, where);
    return 1;
}

/* What the host finds behind `module!name`; where: the module that decided it. */
static enum verdict classify(struct wine *w, const char *module, const char *name, int depth,
                             const struct wine_module **where)
{
    struct wine_module *m = open_module(w, module);
    enum verdict verdict;

    *where = m;
    if (!m)
        return UNREADABLE;
    if (!m->found)
        return MISSING_MODULE;
    uint32_t rva = find_export(m, name);
    if (rva == 0)
        return NOT_EXPORTED;
    if (depth >= MAX_FOLLOW)
        return IMPLEMENTED;
    if (is_forwarder(m, rva)) { /* "ntdll.Name": module ntdll.dll */
        const char *target = pe_string_at(&m->image, rva);
        const char *dot = target ? strchr(target, '.') : NULL;
        char next[MAX_NAME];
        if (!dot || dot[1] == '#' || (size_t)(dot - target) + 5 > sizeof(next))
            return IMPLEMENTED; /* by ordinal, or unreadable: not ours to judge */
        snprintf(next, sizeof(next), "%.*s.dll", (int)(dot - target), target);
        return classify(w, next, dot + 1, depth + 1, where);
    }
    if (is_stub(m, rva, name))
        return STUB;
    if (follow_jump(w, m, rva, depth, &verdict, where))
        return verdict;
    return IMPLEMENTED;
}

struct check_run {
    struct wine *wine;
    const char *driver;
    unsigned imports, findings;
    int damaged;
};

static int check_import(void *context, const struct import *import)
{
    struct check_run *run = context;
    const struct wine_module *where;
    const char *driver = base_name(run->driver);

    run->imports++;
    if (!import->name) {
        if (run->wine->verbose)
            printf("wdmimage: %s imports ordinal %u of %s: not checked (Wine's builtins are "
                   "bound by name)\n", driver, import->ordinal, import->module);
        return 0;
    }
    switch (classify(run->wine, import->module, import->name, 0, &where)) {
    case IMPLEMENTED:
        return 0;
    case MISSING_MODULE:
        printf("wdmimage: %s imports %s from %s, which this Wine does not have (no %s in %s): "
               "the driver does not load\n", driver, import->name, import->module, where->name,
               run->wine->dirs[0]);
        break;
    case NOT_EXPORTED:
        printf("wdmimage: %s imports %s, which this Wine does not implement (%s does not export "
               "it): a call ends the driver host\n", driver, import->name, where->path);
        break;
    case STUB:
        printf("wdmimage: %s imports %s, which this Wine does not implement (a stub in %s): a "
               "call ends the driver host\n", driver, import->name, where->path);
        break;
    case UNREADABLE:
        run->damaged = 1;
        return 1;
    }
    run->findings++;
    return 0;
}

/* -v: how many of each opened module's named exports are stubs. */
static void describe_modules(struct wine *w)
{
    for (unsigned i = 0; i < w->module_count; i++) {
        const struct wine_module *m = &w->modules[i];
        unsigned stubs = 0;
        if (!m->found)
            continue;
        for (uint32_t n = 0; n < m->name_count; n++) {
            const char *s = pe_string_at(&m->image, pe_read32(&m->image, m->names + (size_t)n * 4));
            uint16_t index = pe_read16(&m->image, m->ordinals + (size_t)n * 2);
            if (s && index < m->function_count &&
                is_stub(m, pe_read32(&m->image, m->functions + (size_t)index * 4), s))
                stubs++;
        }
        printf("wdmimage: %s: %u exports, %u by name, %u of them stubs\n", m->path,
               (unsigned)m->function_count, (unsigned)m->name_count, stubs);
    }
}

int wine_imports_main(int argc, char **argv)
{
    static struct wine w; /* 16 modules with their paths: not on the stack */
    struct pe_image image;
    const char *driver = NULL;
    int rc;

    memset(&w, 0, sizeof(w));
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) {
            w.verbose = 1;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "wdmimage: wine-imports: unknown option %s\n", argv[i]);
            return EXIT_USAGE;
        } else if (!driver) {
            driver = argv[i];
        } else if (w.dir_count == MAX_DIRS) {
            fprintf(stderr, "wdmimage: wine-imports: at most %d folders\n", MAX_DIRS);
            return EXIT_USAGE;
        } else {
            w.dirs[w.dir_count++] = argv[i];
        }
    }
    if (!driver) {
        fputs("usage: wdmimage wine-imports [-v] <driver.sys> [<wine dll dir>...]\n"
              "       (default folder: " WINE_DEFAULT_DLL_DIR ")\n", stderr);
        return EXIT_USAGE;
    }
    if (w.dir_count == 0)
        w.dirs[w.dir_count++] = WINE_DEFAULT_DLL_DIR;
    if (read_image(driver, &image) != 0)
        return EXIT_USAGE;
    struct check_run run = {&w, driver, 0, 0, 0};
    rc = for_each_import(&image, check_import, &run);
    if (rc < 0)
        fprintf(stderr, "wdmimage: %s: damaged import table\n", driver);
    if (w.verbose)
        describe_modules(&w);
    if (rc >= 0 && !run.damaged && (run.findings || w.verbose))
        printf("wdmimage: %s: %u of %u imports not implemented by this Wine\n", base_name(driver),
               run.findings, run.imports);
    pe_close(&image);
    for (unsigned i = 0; i < w.module_count; i++)
        if (w.modules[i].found)
            pe_close(&w.modules[i].image);
    if (rc < 0 || run.damaged)
        return EXIT_USAGE;
    return run.findings ? EXIT_FINDINGS : 0;
}

/* --- wdmimage calls --- */

struct wanted {
    const char *const *names;
    int count;
    uint32_t slots[64];
    const char *slot_names[64];
    int slot_count;
};

static int collect_slot(void *context, const struct import *import)
{
    struct wanted *w = context;

    for (int i = 0; import->name && i < w->count; i++)
        if (strcmp(import->name, w->names[i]) == 0 && w->slot_count < 64) {
            w->slot_names[w->slot_count] = w->names[i];
            w->slots[w->slot_count++] = import->slot;
        }
    return 0;
}

struct thunk {
    uint32_t rva;
    const char *name;
    unsigned callers;
};

struct call_scan {
    const struct wanted *wanted;
    struct thunk thunks[MAX_CALLS];
    unsigned thunk_count;
    unsigned calls;
};

static void print_call(struct call_scan *c, const char *name, uint32_t rva)
{
    if (c->calls++ < MAX_CALLS)
        printf("%s 0x%x\n", name, rva);
}

/* One instruction at rva: `call/jmp *slot(%rip)` of a wanted import (first pass), or
 * `call/jmp rel32` to a jump thunk found in the first pass (second pass). */
static void scan_instruction(struct call_scan *c, const uint8_t *code, uint32_t rva, int pass)
{
    const struct wanted *w = c->wanted;

    if (pass == 0 && code[0] == 0xFF && (code[1] == 0x15 || code[1] == 0x25)) {
        uint32_t target = rip_target(code + 2, rva + 6);
        for (int i = 0; i < w->slot_count; i++) {
            if (target != w->slots[i])
                continue;
            if (code[1] == 0x15)
                print_call(c, w->slot_names[i], rva);
            else if (c->thunk_count < MAX_CALLS)
                c->thunks[c->thunk_count++] = (struct thunk){rva, w->slot_names[i], 0};
        }
    } else if (pass == 1 && (code[0] == 0xE8 || code[0] == 0xE9)) {
        uint32_t target = rip_target(code + 1, rva + 5);
        for (unsigned t = 0; t < c->thunk_count; t++)
            if (target == c->thunks[t].rva) {
                c->thunks[t].callers++;
                print_call(c, c->thunks[t].name, rva);
            }
    }
}

static void scan_calls(const struct pe_image *image, struct call_scan *c, int pass)
{
    for (unsigned s = 0; s < image->section_count; s++) {
        struct pe_section section = pe_section(image, s);
        if (!(section.flags & PE_SCN_MEM_EXECUTE))
            continue;
        uint32_t size = section.virtual_size && section.virtual_size < section.raw_size
                            ? section.virtual_size
                            : section.raw_size;
        for (uint32_t p = 0; p + 6 <= size; p++)
            scan_instruction(c, image->data + section.raw_offset + p,
                             section.virtual_address + p, pass);
    }
}

int import_calls_main(int argc, char **argv)
{
    static struct call_scan c; /* 64 KiB of thunks: not on the stack */
    struct pe_image image;

    if (argc < 2) {
        fputs("usage: wdmimage calls <image.sys> <import>...\n", stderr);
        return EXIT_USAGE;
    }
    if (read_image(argv[0], &image) != 0)
        return EXIT_USAGE;
    struct wanted w = {(const char *const *)argv + 1, argc - 1, {0}, {0}, 0};
    if (for_each_import(&image, collect_slot, &w) < 0) {
        fprintf(stderr, "wdmimage: %s: damaged import table\n", argv[0]);
        pe_close(&image);
        return EXIT_USAGE;
    }
    memset(&c, 0, sizeof(c));
    c.wanted = &w;
    scan_calls(&image, &c, 0);
    scan_calls(&image, &c, 1);
    /* No call at all: a jump through the slot is then a tail call, and the jump the site (an
     * import library's thunk that nothing calls is also such a jump: hence only then). */
    for (unsigned t = 0; t < c.thunk_count && c.calls == 0; t++)
        if (c.thunks[t].callers == 0)
            print_call(&c, c.thunks[t].name, c.thunks[t].rva);
    pe_close(&image);
    return c.calls ? 0 : EXIT_FINDINGS;
}

/* --- wdmimage recursion --- */

/* The functions of an image that can call themselves, directly or through others: after a stack
 * overflow, which leaves no stack to walk (Wine ends the thread; Windows bug-checks), these
 * are the suspects. Functions are the .pdata entries; a call is `call rel32` (E8) to a
 * function's first byte, found by scanning each function's bytes (an E8 byte inside another
 * instruction would have to point exactly at a function start to count). */
enum { MAX_FUNCTIONS = 16384, MAX_EDGES = 65536 };

struct call_graph {
    uint32_t begin[MAX_FUNCTIONS], end[MAX_FUNCTIONS];
    unsigned count;
    uint32_t from[MAX_EDGES], to[MAX_EDGES], site[MAX_EDGES]; /* function indexes, call rva */
    unsigned edges;
    unsigned char state[MAX_FUNCTIONS]; /* reachability marks of one search */
};

static int function_at(const struct call_graph *g, uint32_t rva)
{
    unsigned low = 0, high = g->count;

    while (low < high) { /* .pdata is sorted by address */
        unsigned mid = (low + high) / 2;
        if (g->begin[mid] == rva)
            return (int)mid;
        if (g->begin[mid] < rva)
            low = mid + 1;
        else
            high = mid;
    }
    return -1;
}

/* Whether `target` reaches `goal` along calls (iterative search, marks in g->state). */
static int reaches(struct call_graph *g, unsigned target, unsigned goal)
{
    static unsigned stack[MAX_FUNCTIONS];
    unsigned depth = 0;

    memset(g->state, 0, g->count);
    stack[depth++] = target;
    g->state[target] = 1;
    while (depth) {
        unsigned f = stack[--depth];
        if (f == goal)
            return 1;
        for (unsigned e = 0; e < g->edges; e++)
            if (g->from[e] == f && !g->state[g->to[e]] && depth < MAX_FUNCTIONS) {
                g->state[g->to[e]] = 1;
                stack[depth++] = g->to[e];
            }
    }
    return 0;
}

int recursion_main(int argc, char **argv)
{
    static struct call_graph g; /* large: not on the stack */
    struct pe_image image;
    uint32_t rva, size;
    size_t offset;
    int found = 0;

    if (argc != 1) {
        fputs("usage: wdmimage recursion <image.sys>\n", stderr);
        return EXIT_USAGE;
    }
    if (read_image(argv[0], &image) != 0)
        return EXIT_USAGE;
    memset(&g, 0, sizeof(g));
    if (pe_directory(&image, 3 /* exception */, &rva, &size) && size >= 12 &&
        pe_rva_to_offset(&image, rva, size, &offset) == 0) {
        for (uint32_t i = 0; i + 12 <= size && g.count < MAX_FUNCTIONS; i += 12) {
            uint32_t begin = pe_read32(&image, offset + i), end = pe_read32(&image, offset + i + 4);
            if (end > begin && (g.count == 0 || begin >= g.end[g.count - 1])) {
                g.begin[g.count] = begin;
                g.end[g.count++] = end;
            }
        }
    }
    for (unsigned f = 0; f < g.count; f++) {
        size_t start;
        uint32_t length = g.end[f] - g.begin[f];
        if (length < 5 || pe_rva_to_offset(&image, g.begin[f], length, &start) != 0)
            continue;
        for (uint32_t p = 0; p + 5 <= length && g.edges < MAX_EDGES; p++) {
            const uint8_t *code = image.data + start + p;
            if (code[0] != 0xE8)
                continue;
            int callee = function_at(&g, rip_target(code + 1, g.begin[f] + p + 5));
            if (callee >= 0) {
                g.from[g.edges] = f;
                g.to[g.edges] = (uint32_t)callee;
                g.site[g.edges++] = g.begin[f] + p;
            }
        }
    }
    /* A function is recursive when one of its callees reaches it again: printed once, with the
     * site of that call. */
    for (unsigned f = 0; f < g.count; f++)
        for (unsigned e = 0; e < g.edges; e++)
            if (g.from[e] == f && reaches(&g, g.to[e], f)) {
                printf("0x%x 0x%x\n", g.begin[f], g.site[e]);
                found = 1;
                break;
            }
    pe_close(&image);
    return found ? 0 : EXIT_FINDINGS;
}
