/*
 * The version resource (VERSIONINFO, resource type 16) of an image, read back as Explorer,
 * sigcheck and crash dumps read it: the fixed part (VS_FIXEDFILEINFO) and the strings of the
 * first string table. Every offset and length comes from the file and is checked before use.
 */
#include "pe_version.h"

#include "file_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    RT_VERSION = 16,
    DIR_RESOURCE = 2,
    FIXED_SIGNATURE = 0xFEEF04BD,
    FIXED_SIZE = 52,
    MAX_DEPTH = 4,
};

struct blob {
    const uint8_t *p;
    size_t size;
};

static unsigned rd16(const uint8_t *p)
{
    return (unsigned)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The first entry of a resource directory whose id is id (or any entry when id is 0): its
 * offset field, or -1. dir is an offset inside the .rsrc blob. */
static long resource_entry(struct blob rsrc, uint32_t dir, unsigned id)
{
    if (dir > rsrc.size || rsrc.size - dir < 16)
        return -1;
    unsigned named = rd16(rsrc.p + dir + 12), ids = rd16(rsrc.p + dir + 14);
    for (unsigned i = 0; i < named + ids; i++) {
        size_t entry = dir + 16 + (size_t)i * 8;
        if (entry + 8 > rsrc.size)
            return -1;
        uint32_t name = rd32(rsrc.p + entry);
        if (id == 0 || (!(name & 0x80000000u) && name == id))
            return (long)rd32(rsrc.p + entry + 4);
    }
    return -1;
}

/* The VS_VERSIONINFO bytes of the image, or -1 when it has none or the tree is damaged. */
static int version_blob(const struct pe_image *image, struct blob *out, const char **why)
{
    uint32_t rva, size;
    size_t offset;

    *why = "no resource directory (no .rsrc section)";
    if (!pe_directory(image, DIR_RESOURCE, &rva, &size))
        return -1;
    *why = "the resource directory lies outside the image";
    if (pe_rva_to_offset(image, rva, size, &offset))
        return -1;
    struct blob rsrc = {image->data + offset, size};
    long level = resource_entry(rsrc, 0, RT_VERSION);
    *why = "no version resource (type 16, VERSIONINFO) in the resource directory";
    if (level < 0 || !(level & 0x80000000L))
        return -1;
    *why = "a damaged resource directory";
    level = resource_entry(rsrc, (uint32_t)level & 0x7FFFFFFF, 0); /* the first name */
    if (level < 0 || !(level & 0x80000000L))
        return -1;
    level = resource_entry(rsrc, (uint32_t)level & 0x7FFFFFFF, 0); /* the first language */
    if (level < 0 || (level & 0x80000000L) || (size_t)level + 16 > rsrc.size)
        return -1;
    uint32_t data_rva = rd32(rsrc.p + level), data_size = rd32(rsrc.p + level + 4);
    *why = "the version resource lies outside the image";
    if (pe_rva_to_offset(image, data_rva, data_size, &offset))
        return -1;
    out->p = image->data + offset;
    out->size = data_size;
    return 0;
}

/* One node of the VS_VERSIONINFO tree: wLength, wValueLength, wType, key, value, children. */
struct node {
    size_t length;     /* the whole node */
    size_t key;        /* offset of the UTF-16 key */
    size_t value;      /* offset of the value (4-byte aligned) */
    size_t value_size; /* in bytes */
    size_t children;   /* offset of the first child */
};

static size_t align4(size_t v)
{
    return (v + 3) & ~(size_t)3;
}

static int node_at(struct blob b, size_t at, size_t end, struct node *n)
{
    if (at + 6 > end || end > b.size)
        return -1;
    n->length = rd16(b.p + at);
    if (n->length < 6 || at + n->length > end)
        return -1;
    size_t value_length = rd16(b.p + at + 2), type = rd16(b.p + at + 4), k = at + 6;
    n->key = k;
    while (k + 2 <= at + n->length && rd16(b.p + k))
        k += 2;
    if (k + 2 > at + n->length)
        return -1;
    n->value = align4(k + 2);
    n->value_size = type == 1 ? value_length * 2 : value_length; /* text: in characters */
    if (n->value > at + n->length || n->value_size > at + n->length - n->value)
        n->value_size = n->value <= at + n->length ? at + n->length - n->value : 0;
    n->children = align4(n->value + n->value_size);
    return 0;
}

/* The UTF-16 text at offset (at most max bytes) as ASCII into out; others become '?'. */
static void text_of(struct blob b, size_t at, size_t max, char *out, size_t out_size)
{
    size_t i = 0;

    for (; at + 2 <= b.size && max >= 2 && i + 1 < out_size; at += 2, max -= 2) {
        unsigned c = rd16(b.p + at);
        if (!c)
            break;
        out[i++] = (char)(c >= 0x20 && c < 0x7F ? c : '?');
    }
    out[i] = '\0';
}

static int key_is(struct blob b, const struct node *n, const char *key)
{
    char text[64];

    text_of(b, n->key, n->length, text, sizeof(text));
    return strcmp(text, key) == 0;
}

int pe_version_read(const struct pe_image *image, struct pe_version *v, const char **why)
{
    struct blob b;
    struct node root, table_set, table, s;

    memset(v, 0, sizeof(*v));
    if (version_blob(image, &b, why))
        return -1;
    *why = "a damaged VS_VERSIONINFO";
    if (node_at(b, 0, b.size, &root) || !key_is(b, &root, "VS_VERSION_INFO") ||
        root.value_size < FIXED_SIZE || rd32(b.p + root.value) != FIXED_SIGNATURE)
        return -1;
    const uint8_t *fixed = b.p + root.value;
    v->file_version[0] = rd16(fixed + 10);
    v->file_version[1] = rd16(fixed + 8);
    v->file_version[2] = rd16(fixed + 14);
    v->file_version[3] = rd16(fixed + 12);
    v->product_version[0] = rd16(fixed + 18);
    v->product_version[1] = rd16(fixed + 16);
    v->product_version[2] = rd16(fixed + 22);
    v->product_version[3] = rd16(fixed + 20);
    v->file_flags = rd32(fixed + 28);
    v->file_os = rd32(fixed + 32);
    v->file_type = rd32(fixed + 36);
    v->file_subtype = rd32(fixed + 40);
    size_t end = root.length;
    for (size_t at = root.children; at < end; at = align4(at + table_set.length)) {
        if (node_at(b, at, end, &table_set))
            return -1;
        if (!key_is(b, &table_set, "StringFileInfo"))
            continue;
        if (node_at(b, table_set.children, at + table_set.length, &table))
            return -1;
        text_of(b, table.key, table.length, v->language, sizeof(v->language));
        size_t table_end = table_set.children + table.length;
        for (size_t st = table.children; st < table_end; st = align4(st + s.length)) {
            if (node_at(b, st, table_end, &s) || v->string_count == PE_VERSION_MAX_STRINGS)
                return -1;
            struct pe_version_string *out = &v->strings[v->string_count++];
            text_of(b, s.key, s.length, out->key, sizeof(out->key));
            text_of(b, s.value, s.value_size, out->value, sizeof(out->value));
        }
        break;
    }
    return 0;
}

const char *pe_version_string(const struct pe_version *v, const char *key)
{
    for (unsigned i = 0; i < v->string_count; i++)
        if (strcmp(v->strings[i].key, key) == 0)
            return v->strings[i].value;
    return NULL;
}

static void print_version(const char *path, const struct pe_version *v)
{
    printf("%s:\n  fixed FileVersion %u.%u.%u.%u, ProductVersion %u.%u.%u.%u\n", path,
           v->file_version[0], v->file_version[1], v->file_version[2], v->file_version[3],
           v->product_version[0], v->product_version[1], v->product_version[2],
           v->product_version[3]);
    printf("  FileType 0x%X (3: driver), FileSubtype 0x%X (7: system driver), FileOS 0x%X, "
           "FileFlags 0x%X\n",
           (unsigned)v->file_type, (unsigned)v->file_subtype, (unsigned)v->file_os,
           (unsigned)v->file_flags);
    printf("  string table %s:\n", v->language);
    for (unsigned i = 0; i < v->string_count; i++)
        printf("    %s = %s\n", v->strings[i].key, v->strings[i].value);
}

/* "Key=value": the string Key must read value; FileVersion and ProductVersion must also match
 * the fixed part (Explorer shows one, the loader's tools the other). */
static int expect(const char *path, const struct pe_version *v, const char *pair)
{
    char key[64];
    const char *eq = strchr(pair, '=');

    if (!eq || eq == pair || (size_t)(eq - pair) >= sizeof(key)) {
        fprintf(stderr, "wdmimage: version: %s is not Key=value\n", pair);
        return -1;
    }
    memcpy(key, pair, (size_t)(eq - pair));
    key[eq - pair] = '\0';
    const char *found = pe_version_string(v, key);
    if (!found || strcmp(found, eq + 1) != 0) {
        fprintf(stderr, "wdmimage: %s: version resource: %s is \"%s\", expected \"%s\"\n", path,
                key, found ? found : "(absent)", eq + 1);
        return -1;
    }
    const unsigned *fixed = strcmp(key, "FileVersion") == 0      ? v->file_version
                            : strcmp(key, "ProductVersion") == 0 ? v->product_version
                                                                 : NULL;
    if (fixed) {
        char text[64];
        snprintf(text, sizeof(text), "%u.%u.%u.%u", fixed[0], fixed[1], fixed[2], fixed[3]);
        if (strcmp(text, eq + 1) != 0) {
            fprintf(stderr, "wdmimage: %s: version resource: the fixed %s is %s, the string %s\n",
                    path, key, text, eq + 1);
            return -1;
        }
    }
    return 0;
}

int version_main(int argc, char **argv)
{
    struct pe_image image;
    struct pe_version v;
    const char *why;
    int rc = 0;

    if (argc < 1) {
        fputs("usage: wdmimage version <image.sys> [Key=value]...\n", stderr);
        return 2;
    }
    if (file_read_image(argv[0], &image))
        return 2;
    if (pe_version_read(&image, &v, &why)) {
        fprintf(stderr, "wdmimage: %s: %s\n", argv[0], why);
        pe_close(&image);
        return 1;
    }
    print_version(argv[0], &v);
    if (v.file_type != 3 || v.file_subtype != 7) {
        fprintf(stderr, "wdmimage: %s: version resource: FileType %u/FileSubtype %u, a driver "
                "has 3 (VFT_DRV) and 7 (VFT2_DRV_SYSTEM)\n", argv[0], (unsigned)v.file_type,
                (unsigned)v.file_subtype);
        rc = 1;
    }
    for (int i = 1; i < argc; i++)
        if (expect(argv[0], &v, argv[i]))
            rc = 1;
    pe_close(&image);
    return rc;
}
