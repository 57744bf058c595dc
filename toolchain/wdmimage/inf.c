/*
 * A driver package's INF: stamped as stampinf does (DriverVer, $ARCH$) and checked for the
 * mistakes that make an install fail, each refusal naming its file and line.
 *
 *   wdmimage inf stamp <in.inx|in.inf> -o <out.inf> --version <a.b.c.d> --date <MM/DD/YYYY>
 *                      --image <name.sys> --catalog <name.cat>
 *   wdmimage inf check <file.inf> --image <name.sys> --catalog <name.cat>
 */
#include "inf.h"

#include "file_util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_INF_SIZE = 4 << 20, MAX_TEXT = 512, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

struct inf_line {
    unsigned number;     /* 1-based */
    const char *section; /* the section it belongs to ("" before the first) */
    char key[MAX_TEXT];  /* left of '=', trimmed; empty when the line has no '=' */
    char value[MAX_TEXT];/* right of '=' (or the whole line), comment removed, trimmed */
    int is_header;       /* a [section] line */
};

struct inf {
    const char *path;
    struct inf_line *lines;
    unsigned count;
    char **sections; /* owned names, one per header line */
    unsigned findings;
};

static void finding(struct inf *inf, unsigned line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s:%u: ", inf->path, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    inf->findings++;
}

static void trim_copy(char *out, const char *start, const char *end)
{
    while (start < end && isspace((unsigned char)*start))
        start++;
    while (end > start && isspace((unsigned char)end[-1]))
        end--;
    size_t n = (size_t)(end - start) < MAX_TEXT - 1 ? (size_t)(end - start) : MAX_TEXT - 1;
    memcpy(out, start, n);
    out[n] = '\0';
}

/* The end of the line's content: a ';' outside quotes starts a comment. */
static const char *content_end(const char *s, const char *end)
{
    int quoted = 0;

    for (const char *p = s; p < end; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == ';' && !quoted)
            return p;
    }
    return end;
}

static int parse(struct inf *inf, const char *text, size_t size)
{
    const char *p = text, *end = text + size;
    const char *section = "";
    unsigned capacity = 64, number = 0;

    inf->lines = calloc(capacity, sizeof(*inf->lines));
    inf->sections = calloc(capacity, sizeof(char *));
    if (!inf->lines || !inf->sections)
        return -1;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        number++;
        if (inf->count == capacity) {
            capacity *= 2;
            struct inf_line *lines = realloc(inf->lines, capacity * sizeof(*lines));
            char **sections = realloc(inf->sections, capacity * sizeof(char *));
            if (lines)
                inf->lines = lines;
            if (sections)
                inf->sections = sections;
            if (!lines || !sections)
                return -1;
        }
        struct inf_line *l = &inf->lines[inf->count];
        memset(l, 0, sizeof(*l));
        inf->sections[inf->count] = NULL;
        l->number = number;
        const char *stop = content_end(p, eol);
        char content[MAX_TEXT];
        trim_copy(content, p, stop);
        if (content[0] == '[') {
            char *close = strchr(content, ']');
            if (!close) {
                finding(inf, number, "a section header without ']'");
                close = content + strlen(content);
            }
            *close = '\0';
            char *name = malloc(strlen(content));
            if (!name)
                return -1;
            trim_copy(name, content + 1, close);
            inf->sections[inf->count] = name;
            section = name;
            l->is_header = 1;
            l->section = section;
            inf->count++;
        } else if (content[0]) {
            l->section = section;
            char *eq = strchr(content, '=');
            if (eq) {
                trim_copy(l->key, content, eq);
                trim_copy(l->value, eq + 1, content + strlen(content));
            } else {
                trim_copy(l->value, content, content + strlen(content));
            }
            inf->count++;
        }
        p = eol < end ? eol + 1 : end;
    }
    return 0;
}

static void inf_free(struct inf *inf)
{
    for (unsigned i = 0; i < inf->count; i++)
        free(inf->sections[i]);
    free(inf->sections);
    free(inf->lines);
}

static int same(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

/* The header line of a section, or NULL. */
static const struct inf_line *section_header(const struct inf *inf, const char *name)
{
    for (unsigned i = 0; i < inf->count; i++)
        if (inf->lines[i].is_header && same(inf->lines[i].section, name))
            return &inf->lines[i];
    return NULL;
}

static const struct inf_line *entry(const struct inf *inf, const char *section, const char *key)
{
    for (unsigned i = 0; i < inf->count; i++) {
        const struct inf_line *l = &inf->lines[i];
        if (!l->is_header && same(l->section, section) && same(l->key, key))
            return l;
    }
    return NULL;
}

/* A value without its quotes, %strings% replaced from [Strings], into out. */
static void resolve(const struct inf *inf, const char *value, char *out, size_t size)
{
    size_t n = 0;

    for (const char *p = value; *p && n + 1 < size; p++) {
        if (*p == '"')
            continue;
        const char *close = *p == '%' ? strchr(p + 1, '%') : NULL;
        if (close && close > p + 1) {
            char token[MAX_TEXT];
            trim_copy(token, p + 1, close);
            const struct inf_line *s = entry(inf, "Strings", token);
            if (s) {
                for (const char *q = s->value; *q && n + 1 < size; q++)
                    if (*q != '"')
                        out[n++] = *q;
                p = close;
                continue;
            }
        }
        out[n++] = *p;
    }
    out[n] = '\0';
}

/* The n-th comma-separated field of a value (0-based), trimmed, into out; 0 when absent. */
static int field(const char *value, int n, char *out)
{
    const char *start = value;

    for (int i = 0; i < n; i++) {
        start = strchr(start, ',');
        if (!start)
            return 0;
        start++;
    }
    const char *end = strchr(start, ',');
    trim_copy(out, start, end ? end : start + strlen(start));
    return 1;
}

static const char *basename_of(const char *path)
{
    const char *slash = strrchr(path, '\\'), *other = strrchr(path, '/');

    if (other && (!slash || other > slash))
        slash = other;
    return slash ? slash + 1 : path;
}

/* Up to max decimal numbers separated by sep at *p (spaces around them allowed); returns how
 * many were read and leaves *p after the last. */
static int read_numbers(const char **p, char sep, unsigned *out, int max)
{
    int count = 0;

    while (count < max) {
        char *end;
        while (**p == ' ')
            (*p)++;
        if (!isdigit((unsigned char)**p))
            break;
        unsigned long value = strtoul(*p, &end, 10);
        out[count++] = value > 0xFFFFFFFFul ? 0xFFFFFFFFu : (unsigned)value;
        *p = end;
        while (**p == ' ')
            (*p)++;
        if (**p != sep || count == max)
            break;
        (*p)++;
    }
    return count;
}

static void check_version(struct inf *inf, const char *catalog)
{
    static const char *const required[] = {"Signature", "Class", "ClassGuid", "Provider",
                                           "DriverVer", "PnpLockdown"};
    const struct inf_line *version = section_header(inf, "Version");
    char text[MAX_TEXT];

    if (!version) {
        finding(inf, 1, "no [Version] section: Windows cannot read the INF");
        return;
    }
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        if (!entry(inf, "Version", required[i]))
            finding(inf, version->number, "[Version] has no %s%s", required[i],
                    same(required[i], "PnpLockdown")
                        ? " (PnpLockdown=1: Windows 10 and the Hardware Dev Center want it)"
                        : "");
    const struct inf_line *l = entry(inf, "Version", "Signature");
    if (l) {
        resolve(inf, l->value, text, sizeof(text));
        if (!same(text, "$Windows NT$") && !same(text, "$Chicago$"))
            finding(inf, l->number, "Signature is %s: it must be \"$Windows NT$\"", l->value);
    }
    l = entry(inf, "Version", "ClassGuid");
    if (l) {
        resolve(inf, l->value, text, sizeof(text));
        int ok = strlen(text) == 38 && text[0] == '{' && text[37] == '}';
        for (int i = 1; ok && i < 37; i++)
            ok = (i == 9 || i == 14 || i == 19 || i == 24) ? text[i] == '-'
                                                            : isxdigit((unsigned char)text[i]);
        if (!ok)
            finding(inf, l->number, "ClassGuid %s is not a GUID {xxxxxxxx-xxxx-xxxx-xxxx-"
                                    "xxxxxxxxxxxx}", l->value);
    }
    l = entry(inf, "Version", "PnpLockdown");
    if (l && strcmp(l->value, "1") != 0)
        finding(inf, l->number, "PnpLockdown is %s, not 1", l->value);
    l = entry(inf, "Version", "DriverVer");
    if (l) {
        unsigned date[3], version[4];
        resolve(inf, l->value, text, sizeof(text));
        const char *p = text;
        if (read_numbers(&p, '/', date, 3) != 3 || *p != ',' ||
            (p++, read_numbers(&p, '.', version, 4)) != 4 || *p || date[0] < 1 || date[0] > 12 ||
            date[1] < 1 || date[1] > 31 || date[2] < 1980 || version[0] > 65535 ||
            version[1] > 65535 || version[2] > 65535 || version[3] > 65535)
            finding(inf, l->number, "DriverVer %s is not MM/DD/YYYY,a.b.c.d", l->value);
    }
    l = entry(inf, "Version", "CatalogFile");
    if (!l)
        l = entry(inf, "Version", "CatalogFile.NTamd64");
    if (!l) {
        finding(inf, version->number, "[Version] has no CatalogFile: a signed package needs "
                                      "CatalogFile=%s", catalog);
    } else {
        resolve(inf, l->value, text, sizeof(text));
        if (!same(text, catalog))
            finding(inf, l->number, "CatalogFile names %s, the package's catalog is %s", text,
                    catalog);
    }
}

/* [SourceDisksNames] and [SourceDisksFiles] (plain or .amd64) list the image. */
static void check_source_disks(struct inf *inf, const char *image)
{
    if (!section_header(inf, "SourceDisksNames") && !section_header(inf, "SourceDisksNames.amd64"))
        finding(inf, 1, "no [SourceDisksNames] section: Windows does not know where the files are");
    const char *files[] = {"SourceDisksFiles", "SourceDisksFiles.amd64"};
    int any = 0;
    for (int f = 0; f < 2; f++) {
        if (section_header(inf, files[f]))
            any = 1;
        for (unsigned i = 0; i < inf->count; i++) {
            const struct inf_line *l = &inf->lines[i];
            char name[MAX_TEXT];
            if (!l->is_header && same(l->section, files[f])) {
                resolve(inf, l->key[0] ? l->key : l->value, name, sizeof(name));
                if (same(name, image))
                    return;
            }
        }
    }
    const struct inf_line *where = section_header(inf, "SourceDisksFiles");
    if (!where)
        where = section_header(inf, "SourceDisksFiles.amd64");
    finding(inf, any && where ? where->number : 1,
            "[SourceDisksFiles] does not list %s: the copy of the image fails", image);
}

/* Every AddService names a section with the service's four required values, its
 * ServiceBinary the image. */
static void check_services(struct inf *inf, const char *image)
{
    int found = 0;

    for (unsigned i = 0; i < inf->count; i++) {
        const struct inf_line *l = &inf->lines[i];
        char section[MAX_TEXT], binary[MAX_TEXT];
        if (l->is_header || !same(l->key, "AddService"))
            continue;
        found = 1;
        if (!field(l->value, 2, section) || !section[0]) {
            finding(inf, l->number, "AddService names no service-install section (third field)");
            continue;
        }
        const struct inf_line *header = section_header(inf, section);
        if (!header) {
            finding(inf, l->number, "AddService names [%s], which the INF lacks", section);
            continue;
        }
        static const char *const required[] = {"ServiceType", "StartType", "ErrorControl",
                                               "ServiceBinary"};
        for (size_t r = 0; r < sizeof(required) / sizeof(required[0]); r++)
            if (!entry(inf, section, required[r]))
                finding(inf, header->number, "[%s] has no %s", section, required[r]);
        const struct inf_line *b = entry(inf, section, "ServiceBinary");
        if (b) {
            resolve(inf, b->value, binary, sizeof(binary));
            if (!same(basename_of(binary), image))
                finding(inf, b->number, "ServiceBinary is %s: it must name the image, %s", binary,
                        image);
        }
        const struct inf_line *t = entry(inf, section, "ServiceType");
        if (t && strcmp(t->value, "1") != 0)
            finding(inf, t->number, "ServiceType %s: a kernel driver is 1 (SERVICE_KERNEL_DRIVER)",
                    t->value);
    }
    if (!found)
        finding(inf, 1, "no AddService directive: nothing would load %s", image);
}

/* Every models section [Manufacturer] names exists, with each decoration it lists. */
static void check_models(struct inf *inf)
{
    const struct inf_line *manufacturer = section_header(inf, "Manufacturer");

    if (!manufacturer)
        return; /* a primitive driver (DefaultInstall) has none */
    for (unsigned i = 0; i < inf->count; i++) {
        const struct inf_line *l = &inf->lines[i];
        char models[MAX_TEXT], decoration[MAX_TEXT], name[MAX_TEXT * 2];
        int amd64 = 0;
        if (l->is_header || !same(l->section, "Manufacturer"))
            continue;
        field(l->value, 0, models);
        for (int f = 1; field(l->value, f, decoration); f++) {
            snprintf(name, sizeof(name), "%s.%s", models, decoration);
            if (strncasecmp(decoration, "NTamd64", 7) == 0)
                amd64 = 1;
            if (!section_header(inf, name))
                finding(inf, l->number, "[Manufacturer] names [%s], which the INF lacks", name);
        }
        if (!amd64)
            finding(inf, l->number, "[Manufacturer] entry %s has no NTamd64 decoration: x64 "
                                    "Windows finds no models in it", l->value);
    }
}

/* Sections named by install directives exist. */
static void check_directives(struct inf *inf)
{
    static const char *const lists[] = {"CopyFiles", "AddReg", "DelReg", "DelFiles",
                                        "RenFiles", "Include", "Needs"};

    for (unsigned i = 0; i < inf->count; i++) {
        const struct inf_line *l = &inf->lines[i];
        if (l->is_header)
            continue;
        for (size_t d = 0; d < sizeof(lists) / sizeof(lists[0]); d++) {
            char name[MAX_TEXT];
            if (!same(l->key, lists[d]) || same(l->key, "Include") || same(l->key, "Needs"))
                continue;
            for (int f = 0; field(l->value, f, name); f++)
                if (name[0] && name[0] != '@' && !section_header(inf, name))
                    finding(inf, l->number, "%s names [%s], which the INF lacks", l->key, name);
        }
    }
}

/* %tokens% everywhere are defined in [Strings]; no $ARCH$ is left. */
static void check_tokens(struct inf *inf)
{
    for (unsigned i = 0; i < inf->count; i++) {
        const struct inf_line *l = &inf->lines[i];
        const char *parts[2] = {l->key, l->value};
        if (l->is_header && strstr(l->section, "$ARCH$"))
            finding(inf, l->number, "$ARCH$ is not stamped: wdmimage inf stamp replaces it");
        if (l->is_header || same(l->section, "Strings"))
            continue;
        for (int k = 0; k < 2; k++) {
            if (strstr(parts[k], "$ARCH$"))
                finding(inf, l->number, "$ARCH$ is not stamped: wdmimage inf stamp replaces it");
            for (const char *p = strchr(parts[k], '%'); p; p = strchr(p + 1, '%')) {
                const char *close = strchr(p + 1, '%');
                char token[MAX_TEXT];
                if (!close)
                    break;
                trim_copy(token, p + 1, close);
                /* %13%, %12%...: directory ids, not strings */
                if (token[0] && !isdigit((unsigned char)token[0]) &&
                    !entry(inf, "Strings", token))
                    finding(inf, l->number, "%%%s%% is not defined in [Strings]", token);
                p = close;
            }
        }
    }
}

static unsigned check_text(const char *path, const char *text, size_t size, const char *image,
                           const char *catalog)
{
    struct inf inf = {path, NULL, 0, NULL, 0};

    if (size >= 2 && (((unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE) ||
                      memchr(text, '\0', size))) {
        fprintf(stderr, "%s:1: UTF-16 text: write the INF in ASCII or UTF-8\n", path);
        return 1;
    }
    if (parse(&inf, text, size)) {
        fprintf(stderr, "wdmimage: %s: out of memory\n", path);
        inf_free(&inf);
        return 1;
    }
    check_version(&inf, catalog);
    check_source_disks(&inf, image);
    check_services(&inf, image);
    check_models(&inf);
    check_directives(&inf);
    check_tokens(&inf);
    unsigned findings = inf.findings;
    inf_free(&inf);
    return findings;
}

/* stampinf's work: $ARCH$ -> amd64, and DriverVer in [Version] set (replaced or added after
 * the header), the line ends kept. */
static char *stamp(const char *text, size_t size, const char *driver_ver, size_t *out_size)
{
    size_t capacity = size * 2 + 256, n = 0;
    char *out = malloc(capacity);
    const char *p = text, *end = text + size;
    int in_version = 0, stamped = 0;

    if (!out)
        return NULL;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        const char *line_end = eol ? (eol > p && eol[-1] == '\r' ? eol - 1 : eol) : end;
        const char *newline = eol ? (line_end < eol ? "\r\n" : "\n") : "\n";
        char content[MAX_TEXT], key[MAX_TEXT] = "";
        trim_copy(content, p, content_end(p, line_end));
        char *eq = strchr(content, '=');
        if (eq)
            trim_copy(key, content, eq);
        if (content[0] == '[') {
            if (in_version && !stamped) { /* [Version] ended without one */
                n += (size_t)snprintf(out + n, capacity - n, "DriverVer = %s%s", driver_ver, newline);
                stamped = 1;
            }
            in_version = strncasecmp(content, "[Version]", 9) == 0;
        }
        if (in_version && same(key, "DriverVer")) {
            n += (size_t)snprintf(out + n, capacity - n, "DriverVer = %s%s", driver_ver, newline);
            stamped = 1;
        } else {
            for (const char *q = p; q < line_end && n + 8 < capacity; q++) {
                if ((size_t)(line_end - q) >= 6 && memcmp(q, "$ARCH$", 6) == 0) {
                    for (const char *a = "amd64"; *a; a++)
                        out[n++] = *a;
                    q += 5;
                } else {
                    out[n++] = *q;
                }
            }
            n += (size_t)snprintf(out + n, capacity - n, "%s", eol ? newline : (p < line_end ? "\n" : ""));
        }
        if (n + (size_t)MAX_TEXT * 2 > capacity) {
            capacity *= 2;
            char *bigger = realloc(out, capacity);
            if (!bigger) {
                free(out);
                return NULL;
            }
            out = bigger;
        }
        p = next;
    }
    if (in_version && !stamped)
        n += (size_t)snprintf(out + n, capacity - n, "DriverVer = %s\n", driver_ver);
    *out_size = n;
    return out;
}

int inf_main(int argc, char **argv)
{
    const char *input = NULL, *output = NULL, *version = NULL, *date = NULL, *image = NULL,
               *catalog = NULL;
    int stamping = argc > 0 && strcmp(argv[0], "stamp") == 0;

    if (argc < 1 || (!stamping && strcmp(argv[0], "check") != 0))
        goto usage;
    for (int i = 1; i < argc; i++) {
        const char **slot = strcmp(argv[i], "-o") == 0           ? &output
                            : strcmp(argv[i], "--version") == 0 ? &version
                            : strcmp(argv[i], "--date") == 0    ? &date
                            : strcmp(argv[i], "--image") == 0   ? &image
                            : strcmp(argv[i], "--catalog") == 0 ? &catalog
                                                                : NULL;
        if (slot && i + 1 < argc)
            *slot = argv[++i];
        else if (argv[i][0] != '-' && !input)
            input = argv[i];
        else
            goto usage;
    }
    if (!input || !image || !catalog || (stamping && (!output || !version || !date)))
        goto usage;
    size_t size;
    char *text = (char *)file_read_all(input, MAX_INF_SIZE, &size);
    if (!text)
        return EXIT_USAGE;
    const char *checked = input;
    if (stamping) {
        char driver_ver[64];
        unsigned parts[4] = {0, 0, 0, 0}, day[3];
        const char *v = version, *t = date;
        int count = read_numbers(&v, '.', parts, 4);
        if (count < 1 || *v || read_numbers(&t, '/', day, 3) != 3 || *t) {
            fprintf(stderr, "wdmimage: inf stamp: --version a.b.c.d and --date MM/DD/YYYY\n");
            free(text);
            return EXIT_USAGE;
        }
        snprintf(driver_ver, sizeof(driver_ver), "%02u/%02u/%04u,%u.%u.%u.%u", day[0], day[1],
                 day[2], parts[0], parts[1], parts[2], parts[3]);
        size_t stamped_size;
        char *stamped = stamp(text, size, driver_ver, &stamped_size);
        free(text);
        if (!stamped || file_write_all(output, stamped, stamped_size)) {
            free(stamped);
            return EXIT_USAGE;
        }
        text = stamped;
        size = stamped_size;
        checked = output;
    }
    unsigned findings = check_text(checked, text, size, image, catalog);
    free(text);
    if (findings) {
        fprintf(stderr, "wdmimage: %s: %u problem%s that would make the install fail\n", checked,
                findings, findings == 1 ? "" : "s");
        if (stamping)
            remove(output);
        return EXIT_FINDINGS;
    }
    return 0;
usage:
    fputs("usage: wdmimage inf stamp <in.inx> -o <out.inf> --version <a.b.c.d> --date "
          "<MM/DD/YYYY> --image <name.sys> --catalog <name.cat>\n"
          "       wdmimage inf check <file.inf> --image <name.sys> --catalog <name.cat>\n",
          stderr);
    return EXIT_USAGE;
}
