/*
 * wdmimage: makes a linked driver image follow the rules of a Windows x64 kernel driver.
 *
 *   wdmimage fix [policy] [-v] [--remove-input-on-error] <in.sys> -o <out.sys>
 *   wdmimage check [policy] [--signed] <image.sys>...
 *   wdmimage rules
 *   wdmimage wine-imports [-v] <driver.sys> [<wine dll dir>...]   (wine_imports.c)
 *   wdmimage calls <image.sys> <import>...
 *   wdmimage recursion <image.sys>   the functions that can call themselves (wine_imports.c)
 *   wdmimage version <image.sys> [Key=value]...          (pe_version.c)
 *   wdmimage inf stamp|check ...                          (inf.c)
 *   wdmimage catalog -o <unsigned.cat> <file>...          (catalog.c)
 *
 * policy: --allow-exports, --allow-import <module> (repeatable). --signed: the image must carry
 * a signature (one that is there is checked anyway).
 * Exit status: 0 the image follows every rule, 1 it does not, 2 usage or I/O error.
 */
#include "pe_rules.h"
#include "catalog.h"
#include "file_util.h"
#include "inf.h"
#include "pe_version.h"
#include "wine_imports.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { EXIT_RULES = 1, EXIT_USAGE = 2, MAX_EXTRA_IMPORTS = 16 };

struct options {
    struct pe_policy policy;
    const char *extra_imports[MAX_EXTRA_IMPORTS];
    const char *output;
    int verbose;
    int remove_input_on_error;
    const char **inputs;
    int input_count;
};

struct report_context {
    const char *file;
    const char *verb;
    int explain;
};

static void usage(void)
{
    fputs("usage: wdmimage fix [--allow-exports] [--allow-import <module>]... [-v]\n"
          "                    [--remove-input-on-error] <in.sys> -o <out.sys>\n"
          "       wdmimage check [--allow-exports] [--allow-import <module>]... [--signed]\n"
          "                      <image.sys>...\n"
          "       wdmimage rules\n"
          "       wdmimage wine-imports [-v] <driver.sys> [<wine dll dir>...]\n"
          "       wdmimage calls <image.sys> <import>...\n"
          "       wdmimage recursion <image.sys>\n"
          "       wdmimage version <image.sys> [Key=value]...\n"
          "       wdmimage inf stamp|check ...   (wdmimage inf: its usage)\n"
          "       wdmimage catalog -o <unsigned.cat> [--date <YYMMDDhhmmssZ>] <file>...\n",
          stderr);
}

static void report(void *context, enum pe_rule rule, const char *message)
{
    const struct report_context *c = context;

    if (c->explain)
        fprintf(stderr, "wdmimage: %s: %s%s: %s\n    why: %s\n", c->file, c->verb,
                pe_rule_name(rule), message, pe_rule_reason(rule));
    else
        fprintf(stderr, "wdmimage: %s: %s%s: %s\n", c->file, c->verb, pe_rule_name(rule), message);
}

static int load(const char *path, struct pe_image *image)
{
    struct stat st;
    char err[256];
    long size = -1;
    uint8_t *data = NULL;

    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        fprintf(stderr, "wdmimage: %s: not a file\n", path);
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (f && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        size <= PE_MAX_FILE_SIZE && (data = malloc(size ? (size_t)size : 1)) != NULL &&
        fread(data, 1, (size_t)size, f) == (size_t)size) {
        fclose(f);
        if (pe_open(image, data, (size_t)size, err, sizeof(err)) == 0)
            return 0;
        fprintf(stderr, "wdmimage: %s: %s\n", path, err);
        return -1;
    }
    if (size > PE_MAX_FILE_SIZE)
        fprintf(stderr, "wdmimage: %s: larger than %d MiB: not a driver\n", path,
                PE_MAX_FILE_SIZE >> 20);
    else
        fprintf(stderr, "wdmimage: %s: %s\n", path, strerror(errno));
    free(data);
    if (f)
        fclose(f);
    return -1;
}

/* Writes next to the target and renames, so a failed run never leaves a half-written image. */
static int save(const char *path, const struct pe_image *image)
{
    return file_write_all(path, image->data, image->size);
}

/* Not a rule break: a driver may import the routine and never call it. */
static void warn_integrity(const char *path, const struct pe_image *image)
{
    char name[64];

    if (pe_integrity_check_missing(image, name, sizeof(name)))
        fprintf(stderr,
                "wdmimage: %s: warning: imports %s, which Windows refuses (STATUS_ACCESS_DENIED) "
                "to an image without FORCE_INTEGRITY: link it with INTEGRITY_CHECK "
                "(add_wdm_driver) or /INTEGRITYCHECK\n",
                path, name);
}

static int run_fix(const struct options *o)
{
    struct pe_image image;
    const char *input = o->inputs[0];
    struct report_context changed = {input, "fixed ", 0};
    struct report_context remaining = {input, "", 1};
    int rc = EXIT_USAGE;

    if (load(input, &image) == 0) {
        pe_report_fn on_change = o->verbose ? report : NULL;
        rc = pe_fix(&image, &o->policy, on_change, &changed, report, &remaining) ? EXIT_RULES : 0;
        warn_integrity(input, &image);
        if (rc == 0 && save(o->output, &image))
            rc = EXIT_USAGE;
        pe_close(&image);
    }
    if (rc) {
        remove(o->output);
        if (o->remove_input_on_error)
            remove(input);
    }
    return rc;
}

static int run_check(const struct options *o)
{
    int rc = 0;

    for (int i = 0; i < o->input_count; i++) {
        struct pe_image image;
        struct report_context context = {o->inputs[i], "", 1};
        if (load(o->inputs[i], &image)) {
            rc = EXIT_USAGE;
            continue;
        }
        unsigned findings = pe_check(&image, &o->policy, report, &context);
        warn_integrity(o->inputs[i], &image);
        if (findings) {
            fprintf(stderr, "wdmimage: %s: %u rule violation%s\n", o->inputs[i], findings,
                    findings == 1 ? "" : "s");
            if (rc == 0)
                rc = EXIT_RULES;
        } else if (o->verbose) {
            printf("wdmimage: %s: follows every rule\n", o->inputs[i]);
        }
        pe_close(&image);
    }
    return rc;
}

static int parse(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof(*o));
    o->policy.extra_imports = o->extra_imports;
    o->inputs = calloc((size_t)argc, sizeof(*o->inputs));
    if (!o->inputs)
        return -1;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--allow-exports") == 0) {
            o->policy.allow_exports = 1;
        } else if (strcmp(a, "--allow-import") == 0 && i + 1 < argc) {
            if (o->policy.extra_import_count == MAX_EXTRA_IMPORTS)
                return -1;
            o->extra_imports[o->policy.extra_import_count++] = argv[++i];
        } else if (strcmp(a, "-o") == 0 && i + 1 < argc) {
            o->output = argv[++i];
        } else if (strcmp(a, "--signed") == 0) {
            o->policy.require_signature = 1;
        } else if (strcmp(a, "-v") == 0) {
            o->verbose = 1;
        } else if (strcmp(a, "--remove-input-on-error") == 0) {
            o->remove_input_on_error = 1;
        } else if (a[0] == '-') {
            fprintf(stderr, "wdmimage: unknown option %s\n", a);
            return -1;
        } else {
            o->inputs[o->input_count++] = a;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct options o;
    int rc = EXIT_USAGE;

    if (argc == 2 && strcmp(argv[1], "rules") == 0) {
        for (int r = 0; r < PE_RULE_COUNT; r++)
            printf("%-17s %s\n", pe_rule_name((enum pe_rule)r), pe_rule_reason((enum pe_rule)r));
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "wine-imports") == 0)
        return wine_imports_main(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "calls") == 0)
        return import_calls_main(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "recursion") == 0)
        return recursion_main(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "version") == 0)
        return version_main(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "inf") == 0)
        return inf_main(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "catalog") == 0)
        return catalog_main(argc - 2, argv + 2);
    if (argc < 3) {
        usage();
        return EXIT_USAGE;
    }
    int parsed = parse(argc, argv, &o) == 0;
    if (parsed && strcmp(argv[1], "fix") == 0 && o.input_count == 1 && o.output)
        rc = run_fix(&o);
    else if (parsed && strcmp(argv[1], "check") == 0 && o.input_count > 0 && !o.output)
        rc = run_check(&o);
    else
        usage();
    free(o.inputs);
    return rc;
}
