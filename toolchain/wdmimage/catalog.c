/*
 * A driver package's catalog (.cat), as makecat and inf2cat make it: a PKCS#7 SignedData whose
 * content is a certificate trust list (CTL, szOID_CTL) with one entry per file of the package.
 * Written here unsigned (no signer yet); osslsigncode then signs it, as it signs a .cat.
 *
 * Each entry, as Windows' catalog readers (wintrust's CryptCATEnumerateMember) read it:
 *   - its tag: the file's hash as upper-case hex, UTF-16LE;
 *   - SPC_INDIRECT_DATA: the hash, SHA-256: for a PE image its Authenticode hash (the file without
 *     the checksum, the certificate table's directory entry and the table itself), with the PE
 *     image data type; for any other file (the INF) the hash of its bytes, with the flat type;
 *   - CAT_MEMBERINFO: the subject interface package that hashes it (PE or flat), version 512;
 *   - CAT_NAMEVALUE "File": the file's name.
 * The catalog carries OSAttr "2:10.0" (Windows 10 x64, as inf2cat /os:10_X64 writes). SHA-256
 * members are what Windows 10 and later read; Windows 7 and 8.1 want SHA-1 ones: not written.
 */
#include "catalog.h"

#include "der.h"
#include "file_util.h"
#include "sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_MEMBERS = 64, MAX_MEMBER_SIZE = 256 << 20, EXIT_USAGE = 2 };

#define OID_SIGNED_DATA "1.2.840.113549.1.7.2"
#define OID_CTL "1.3.6.1.4.1.311.10.1"
#define OID_CATALOG_LIST "1.3.6.1.4.1.311.12.1.1"
#define OID_CATALOG_LIST_MEMBER "1.3.6.1.4.1.311.12.1.2"
#define OID_CAT_NAMEVALUE "1.3.6.1.4.1.311.12.2.1"
#define OID_CAT_MEMBERINFO "1.3.6.1.4.1.311.12.2.2"
#define OID_SPC_INDIRECT_DATA "1.3.6.1.4.1.311.2.1.4"
#define OID_SPC_PE_IMAGE_DATA "1.3.6.1.4.1.311.2.1.15"
#define OID_SPC_CAB_DATA "1.3.6.1.4.1.311.2.1.25" /* what the flat-file SIP writes */
#define OID_SHA256 "2.16.840.1.101.3.4.2.1"
#define GUID_PE_SIP "{C689AAB8-8E78-11D0-8C47-00C04FC295EE}"
#define GUID_FLAT_SIP "{DE351A42-8E59-11D0-8C47-00C04FC295EE}"
#define NAMEVALUE_FLAGS 0x10010001 /* CRYPTCAT_ATTR_NAMEASCII | DATAASCII | AUTHENTICATED */

struct member {
    const char *path;
    const char *name;
    int pe;
    uint8_t hash[32];
};

/* The Authenticode hash: everything but the checksum, the certificate table's directory entry
 * and the certificate table (which a signed image ends with). */
static int authenticode_hash(const char *path, uint8_t hash[32])
{
    struct pe_image image;
    struct sha256 s;
    uint32_t rva = 0, size = 0;

    if (file_read_image(path, &image))
        return -1;
    size_t checksum = image.optional_header + PE_OH_CHECKSUM;
    size_t security = image.optional_header + PE_OH_DATA_DIRECTORIES + (size_t)8 * PE_DIR_SECURITY;
    size_t end = image.size;
    if (pe_directory(&image, PE_DIR_SECURITY, &rva, &size)) { /* rva is a file offset here */
        if (rva < pe_sections_end(&image) || (uint64_t)rva + size != image.size) {
            fprintf(stderr, "wdmimage: %s: the certificate table is not the file's tail\n", path);
            pe_close(&image);
            return -1;
        }
        end = rva;
    }
    sha256_init(&s);
    sha256_update(&s, image.data, checksum);
    sha256_update(&s, image.data + checksum + 4, security - checksum - 4);
    sha256_update(&s, image.data + security + 8, end - security - 8);
    sha256_final(&s, hash);
    pe_close(&image);
    return 0;
}

static int flat_hash(const char *path, uint8_t hash[32])
{
    size_t size;
    uint8_t *data = file_read_all(path, MAX_MEMBER_SIZE, &size);
    struct sha256 s;

    if (!data)
        return -1;
    sha256_init(&s);
    sha256_update(&s, data, size);
    sha256_final(&s, hash);
    free(data);
    return 0;
}

static int is_pe_name(const char *name)
{
    const char *dot = strrchr(name, '.');

    return dot && (strcasecmp(dot, ".sys") == 0 || strcasecmp(dot, ".dll") == 0 ||
                   strcasecmp(dot, ".exe") == 0);
}

static void hex_of(const uint8_t *bytes, size_t size, char *out)
{
    static const char digits[] = "0123456789ABCDEF";

    for (size_t i = 0; i < size; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * size] = '\0';
}

/* SEQUENCE { OID, SET { <value> } }: the caller writes the value between open and close. */
static void attribute_open(struct der *d, const char *oid)
{
    der_open(d, DER_SEQUENCE);
    der_oid(d, oid);
    der_open(d, DER_SET);
}

static void attribute_close(struct der *d)
{
    der_close(d);
    der_close(d);
}

static void name_value(struct der *d, const char *name, const char *value)
{
    der_open(d, DER_SEQUENCE);
    der_bmp(d, DER_BMP_STRING, name);
    der_integer(d, NAMEVALUE_FLAGS);
    der_utf16le(d, value);
    der_close(d);
}

/* SpcLink file [2] { SpcString unicode [0] "<<<Obsolete>>>" }, as signtool writes it. */
static void obsolete_link(struct der *d)
{
    der_open(d, DER_CONTEXT + 2);
    der_bmp(d, 0x80, "<<<Obsolete>>>");
    der_close(d);
}

static void indirect_data(struct der *d, const struct member *m)
{
    der_open(d, DER_SEQUENCE); /* SpcIndirectDataContent */
    der_open(d, DER_SEQUENCE); /* SpcAttributeTypeAndOptionalValue */
    if (m->pe) {
        der_oid(d, OID_SPC_PE_IMAGE_DATA);
        der_open(d, DER_SEQUENCE); /* SpcPeImageData: no flags, the obsolete file link */
        der_primitive(d, DER_BIT_STRING, "", 1);
        der_open(d, DER_CONTEXT + 0);
        obsolete_link(d);
        der_close(d);
        der_close(d);
    } else {
        der_oid(d, OID_SPC_CAB_DATA);
        obsolete_link(d);
    }
    der_close(d);
    der_open(d, DER_SEQUENCE); /* DigestInfo */
    der_open(d, DER_SEQUENCE);
    der_oid(d, OID_SHA256);
    der_null(d);
    der_close(d);
    der_primitive(d, DER_OCTET_STRING, m->hash, sizeof(m->hash));
    der_close(d);
    der_close(d);
}

static void entry(struct der *d, const struct member *m)
{
    char tag[65];

    hex_of(m->hash, sizeof(m->hash), tag);
    der_open(d, DER_SEQUENCE);
    der_utf16le(d, tag);
    der_open(d, DER_SET);
    attribute_open(d, OID_SPC_INDIRECT_DATA);
    indirect_data(d, m);
    attribute_close(d);
    attribute_open(d, OID_CAT_NAMEVALUE);
    name_value(d, "File", m->name);
    attribute_close(d);
    attribute_open(d, OID_CAT_MEMBERINFO);
    der_open(d, DER_SEQUENCE);
    der_bmp(d, DER_BMP_STRING, m->pe ? GUID_PE_SIP : GUID_FLAT_SIP);
    der_integer(d, 512);
    der_close(d);
    attribute_close(d);
    der_close(d);
    der_close(d);
}

static void ctl(struct der *d, const struct member *members, int count, const char *utc_time)
{
    uint8_t identifier[32];
    struct sha256 s;

    /* The list's identifier: 16 bytes derived from its members, the same for the same files. */
    sha256_init(&s);
    for (int i = 0; i < count; i++)
        sha256_update(&s, members[i].hash, sizeof(members[i].hash));
    sha256_final(&s, identifier);
    der_open(d, DER_SEQUENCE);
    der_open(d, DER_SEQUENCE); /* subject usage */
    der_oid(d, OID_CATALOG_LIST);
    der_close(d);
    der_primitive(d, DER_OCTET_STRING, identifier, 16);
    der_primitive(d, DER_UTC_TIME, utc_time, strlen(utc_time));
    der_open(d, DER_SEQUENCE); /* subject algorithm */
    der_oid(d, OID_CATALOG_LIST_MEMBER);
    der_null(d);
    der_close(d);
    der_open(d, DER_SEQUENCE);
    for (int i = 0; i < count; i++)
        entry(d, &members[i]);
    der_close(d);
    der_open(d, DER_CONTEXT + 0); /* the catalog's own attributes */
    der_open(d, DER_SEQUENCE);
    der_open(d, DER_SEQUENCE); /* Extension */
    der_oid(d, OID_CAT_NAMEVALUE);
    der_open(d, DER_OCTET_STRING);
    name_value(d, "OSAttr", "2:10.0");
    der_close(d);
    der_close(d);
    der_close(d);
    der_close(d);
    der_close(d);
}

/* ContentInfo { signedData, [0] SignedData { 1, {}, { szOID_CTL, [0] CTL }, {} } }. */
static void unsigned_catalog(struct der *d, const struct member *members, int count,
                             const char *utc_time)
{
    der_open(d, DER_SEQUENCE);
    der_oid(d, OID_SIGNED_DATA);
    der_open(d, DER_CONTEXT + 0);
    der_open(d, DER_SEQUENCE);
    der_integer(d, 1);
    der_open(d, DER_SET); /* digest algorithms: the signer adds its own */
    der_close(d);
    der_open(d, DER_SEQUENCE);
    der_oid(d, OID_CTL);
    der_open(d, DER_CONTEXT + 0);
    ctl(d, members, count, utc_time);
    der_close(d);
    der_close(d);
    der_open(d, DER_SET); /* no signer yet */
    der_close(d);
    der_close(d);
    der_close(d);
    der_close(d);
}

static int valid_utc_time(const char *t)
{
    if (strlen(t) != 13 || t[12] != 'Z')
        return 0;
    for (int i = 0; i < 12; i++)
        if (t[i] < '0' || t[i] > '9')
            return 0;
    return 1;
}

int catalog_main(int argc, char **argv)
{
    static struct member members[MAX_MEMBERS];
    const char *output = NULL;
    char utc_time[32] = "";
    int count = 0;

    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            output = argv[++i];
        } else if (strcmp(argv[i], "--date") == 0 && i + 1 < argc) {
            snprintf(utc_time, sizeof(utc_time), "%s", argv[++i]);
        } else if (argv[i][0] == '-' || count == MAX_MEMBERS) {
            output = NULL;
            break;
        } else {
            const char *slash = strrchr(argv[i], '/');
            members[count].path = argv[i];
            members[count].name = slash ? slash + 1 : argv[i];
            members[count].pe = is_pe_name(members[count].name);
            count++;
        }
    }
    if (!output || count == 0) {
        fputs("usage: wdmimage catalog -o <unsigned.cat> [--date <YYMMDDhhmmssZ>] <file>...\n",
              stderr);
        return EXIT_USAGE;
    }
    if (!utc_time[0]) {
        const char *epoch = getenv("SOURCE_DATE_EPOCH"); /* reproducible builds */
        time_t now = epoch ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(utc_time, sizeof(utc_time), "%y%m%d%H%M%SZ", &tm);
    }
    if (!valid_utc_time(utc_time)) {
        fprintf(stderr, "wdmimage: catalog: --date %s is not YYMMDDhhmmssZ\n", utc_time);
        return EXIT_USAGE;
    }
    for (int i = 0; i < count; i++) {
        char hex[65];
        if ((members[i].pe ? authenticode_hash : flat_hash)(members[i].path, members[i].hash))
            return EXIT_USAGE;
        hex_of(members[i].hash, sizeof(members[i].hash), hex);
        printf("%s %s %s\n", hex, members[i].pe ? "pe" : "flat", members[i].name);
    }
    struct der d = {0};
    unsigned_catalog(&d, members, count, utc_time);
    int rc = d.failed || d.depth ? EXIT_USAGE : 0;
    if (rc)
        fprintf(stderr, "wdmimage: catalog: out of memory\n");
    else if (file_write_all(output, d.data, d.size))
        rc = EXIT_USAGE;
    der_free(&d);
    return rc;
}
