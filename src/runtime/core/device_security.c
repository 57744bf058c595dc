#include "device_security.h"

#include <string.h>

/* Layouts from winnt.h: SECURITY_DESCRIPTOR_RELATIVE, ACL, ACCESS_ALLOWED_ACE, SID. */
enum {
    SD_REVISION = 1,
    SD_HEADER_SIZE = 20, /* revision, sbz1, control, owner, group, sacl, dacl offsets */
    SE_DACL_PRESENT = 0x0004,
    SE_DACL_PROTECTED = 0x1000,
    SE_SELF_RELATIVE = 0x8000,
    ACL_REVISION = 2,
    ACL_HEADER_SIZE = 8,
    ACE_HEADER_SIZE = 8, /* type, flags, size, access mask; the SID follows */
    ACCESS_ALLOWED_ACE_TYPE = 0,
    ACCESS_DENIED_ACE_TYPE = 1,
    SID_HEADER_SIZE = 8, /* revision, sub-authority count, identifier authority */
};

static void put16(uint8_t *p, uint32_t value)
{
    p[0] = (uint8_t)value;
    p[1] = (uint8_t)(value >> 8);
}

static void put32(uint8_t *p, uint32_t value)
{
    put16(p, value);
    put16(p + 2, value >> 16);
}

static uint32_t get16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
    return get16(p) | get16(p + 2) << 16;
}

/* The SDDL text being read: UTF-16 code units, and how far the reader is. */
struct sddl {
    const uint16_t *text;
    size_t count, at;
};

static int take(struct sddl *in, const char *expected)
{
    size_t length = strlen(expected);

    if (in->count - in->at < length)
        return 0;
    for (size_t i = 0; i < length; i++)
        if (in->text[in->at + i] != (uint8_t)expected[i])
            return 0;
    in->at += length;
    return 1;
}

static int peek(const struct sddl *in)
{
    return in->at < in->count ? in->text[in->at] : -1;
}

/* Two-letter access codes; generic rights as the I/O manager maps them for file and device
 * objects (IoFileObjectType's generic mapping). */
static const struct {
    char code[3];
    uint32_t mask;
} access_codes[] = {
    {"GA", DEVICE_FILE_ALL_ACCESS},     {"GR", DEVICE_FILE_GENERIC_READ},
    {"GW", DEVICE_FILE_GENERIC_WRITE},  {"GX", DEVICE_FILE_GENERIC_EXECUTE},
    {"RC", DEVICE_READ_CONTROL},        {"SD", DEVICE_DELETE},
    {"WD", DEVICE_WRITE_DAC},           {"WO", DEVICE_WRITE_OWNER},
};

static uint32_t map_generic(uint32_t mask)
{
    static const uint32_t generic[4][2] = {{0x80000000u, DEVICE_FILE_GENERIC_READ},
                                           {0x40000000u, DEVICE_FILE_GENERIC_WRITE},
                                           {0x20000000u, DEVICE_FILE_GENERIC_EXECUTE},
                                           {0x10000000u, DEVICE_FILE_ALL_ACCESS}};
    for (size_t i = 0; i < 4; i++)
        if (mask & generic[i][0])
            mask = (mask & ~generic[i][0]) | generic[i][1];
    return mask;
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* <access> up to the ';' that ends it: "0x1f01ff", or codes such as "GRGWGX". */
static int read_access(struct sddl *in, uint32_t *mask)
{
    *mask = 0;
    if (take(in, "0x") || take(in, "0X")) {
        int digits = 0;
        for (int d; (d = hex_digit(peek(in))) >= 0; in->at++) {
            if (++digits > 8)
                return 0;
            *mask = *mask << 4 | (uint32_t)d;
        }
        *mask = map_generic(*mask);
        return digits > 0;
    }
    int codes = 0;
    while (peek(in) != ';') {
        size_t i = 0;
        while (i < sizeof(access_codes) / sizeof(access_codes[0]) &&
               !take(in, access_codes[i].code))
            i++;
        if (i == sizeof(access_codes) / sizeof(access_codes[0]))
            return 0;
        *mask |= access_codes[i].mask;
        codes++;
    }
    return codes > 0;
}

/* Well-known SIDs by their SDDL alias: identifier authority, then sub-authorities. */
static const struct {
    char alias[3];
    uint8_t authority, count;
    uint32_t sub[6];
} sid_aliases[] = {
    {"SY", 5, 1, {18}},  {"LS", 5, 1, {19}},       {"NS", 5, 1, {20}},
    {"BA", 5, 2, {32, 544}}, {"BU", 5, 2, {32, 545}}, {"BG", 5, 2, {32, 546}},
    {"AU", 5, 1, {11}},  {"AN", 5, 1, {7}},        {"IU", 5, 1, {4}},
    {"NU", 5, 1, {2}},   {"WD", 1, 1, {0}},        {"RC", 5, 1, {12}},
    {"UD", 5, 6, {84, 0, 0, 0, 0, 0}},
};

static size_t write_sid(uint8_t *sid, uint64_t authority, const uint32_t *sub, size_t count)
{
    sid[0] = 1;
    sid[1] = (uint8_t)count;
    for (int i = 0; i < 6; i++) /* big-endian, 48 bits */
        sid[2 + i] = (uint8_t)(authority >> (8 * (5 - i)));
    for (size_t i = 0; i < count; i++)
        put32(sid + 8 + 4 * i, sub[i]);
    return 8 + 4 * count;
}

/* A decimal number below `limit`, at least one digit. */
static int read_number(struct sddl *in, uint64_t limit, uint64_t *value)
{
    int digits = 0;

    *value = 0;
    for (int c; (c = peek(in)) >= '0' && c <= '9'; in->at++, digits++) {
        *value = *value * 10 + (uint64_t)(c - '0');
        if (*value >= limit)
            return 0;
    }
    return digits > 0;
}

/* <sid> up to the ')' that ends it, written to `sid` (room for the longest): its length, or 0. */
static size_t read_sid(struct sddl *in, uint8_t *sid)
{
    uint32_t sub[DEVICE_SECURITY_MAX_SUB_AUTHORITIES] = {0};
    uint64_t authority, value;
    size_t count = 0;

    for (size_t i = 0; i < sizeof(sid_aliases) / sizeof(sid_aliases[0]); i++)
        if (take(in, sid_aliases[i].alias))
            return write_sid(sid, sid_aliases[i].authority, sid_aliases[i].sub,
                             sid_aliases[i].count);
    if (!take(in, "S-1-") || !read_number(in, 1ull << 48, &authority))
        return 0;
    while (take(in, "-")) {
        if (count == DEVICE_SECURITY_MAX_SUB_AUTHORITIES ||
            !read_number(in, 1ull << 32, &value))
            return 0;
        sub[count++] = (uint32_t)value;
    }
    return count ? write_sid(sid, authority, sub, count) : 0;
}

size_t device_security_from_sddl(const uint16_t *sddl, size_t count, uint8_t *buffer,
                                 size_t size)
{
    struct sddl in = {sddl, count, 0};
    size_t used = SD_HEADER_SIZE + ACL_HEADER_SIZE;
    uint32_t aces = 0;

    if (!sddl || !buffer || size < used || !take(&in, "D:P"))
        return 0;
    memset(buffer, 0, used);
    while (in.at < in.count) {
        uint8_t sid[SID_HEADER_SIZE + 4 * DEVICE_SECURITY_MAX_SUB_AUTHORITIES];
        uint32_t mask;
        size_t sid_size;
        if (aces == DEVICE_SECURITY_MAX_ACES || !take(&in, "(A;;") || !read_access(&in, &mask) ||
            !take(&in, ";;;") || !(sid_size = read_sid(&in, sid)) || !take(&in, ")") ||
            size - used < ACE_HEADER_SIZE + sid_size)
            return 0;
        uint8_t *ace = buffer + used;
        ace[0] = ACCESS_ALLOWED_ACE_TYPE;
        ace[1] = 0; /* no inheritance flags */
        put16(ace + 2, (uint32_t)(ACE_HEADER_SIZE + sid_size));
        put32(ace + 4, mask);
        memcpy(ace + ACE_HEADER_SIZE, sid, sid_size);
        used += ACE_HEADER_SIZE + sid_size;
        aces++;
    }
    buffer[0] = SD_REVISION;
    /* Protected: nothing is inherited from \Device, whatever its own descriptor says. */
    put16(buffer + 2, SE_DACL_PRESENT | SE_DACL_PROTECTED | SE_SELF_RELATIVE);
    put32(buffer + 16, SD_HEADER_SIZE); /* the DACL; no owner, group or SACL: unchanged */
    buffer[SD_HEADER_SIZE] = ACL_REVISION;
    put16(buffer + SD_HEADER_SIZE + 2, (uint32_t)(used - SD_HEADER_SIZE));
    put16(buffer + SD_HEADER_SIZE + 4, aces);
    return used;
}

size_t device_security_descriptor(uint8_t *buffer, size_t size)
{
    static const char text[] = "D:P(A;;GA;;;SY)(A;;GA;;;BA)";
    uint16_t sddl[sizeof(text) - 1];

    for (size_t i = 0; i < sizeof(sddl) / sizeof(sddl[0]); i++)
        sddl[i] = (uint8_t)text[i];
    return device_security_from_sddl(sddl, sizeof(sddl) / sizeof(sddl[0]), buffer, size);
}

/* The length of a SID that must fit in `room` bytes; 0 when it is malformed or does not fit. */
static size_t sid_length(const uint8_t *sid, size_t room)
{
    if (room < SID_HEADER_SIZE || sid[0] != 1)
        return 0;
    size_t length = SID_HEADER_SIZE + 4u * sid[1];
    return length <= room ? length : 0;
}

/* Whether a group of the token is this SID, usable for an allow (or only a deny) ACE. */
static int holds(const struct device_group *groups, size_t count, const uint8_t *sid,
                 size_t length, int for_deny)
{
    for (size_t i = 0; i < count; i++) {
        size_t own = sid_length(groups[i].sid, SID_HEADER_SIZE + 4u * 15);
        uint32_t usable = for_deny ? (DEVICE_GROUP_ENABLED | DEVICE_GROUP_USE_FOR_DENY_ONLY)
                                   : DEVICE_GROUP_ENABLED;
        if (own == length && memcmp(groups[i].sid, sid, length) == 0 &&
            (groups[i].attributes & usable) &&
            (for_deny || !(groups[i].attributes & DEVICE_GROUP_USE_FOR_DENY_ONLY)))
            return 1;
    }
    return 0;
}

int device_security_allows(const uint8_t *descriptor, size_t size,
                           const struct device_group *groups, size_t count, uint32_t desired)
{
    if (size < SD_HEADER_SIZE || descriptor[0] != SD_REVISION ||
        !(get16(descriptor + 2) & SE_SELF_RELATIVE))
        return 0;
    uint32_t dacl = get32(descriptor + 16);
    if (!(get16(descriptor + 2) & SE_DACL_PRESENT) || dacl == 0)
        return 1; /* no DACL, or a NULL one: everyone gets everything */
    if (dacl > size || size - dacl < ACL_HEADER_SIZE)
        return 0;
    const uint8_t *acl = descriptor + dacl;
    size_t acl_size = get16(acl + 2), ace_count = get16(acl + 4);
    if (acl_size < ACL_HEADER_SIZE || acl_size > size - dacl)
        return 0;
    uint32_t remaining = desired;
    size_t at = ACL_HEADER_SIZE;
    for (size_t i = 0; i < ace_count && remaining; i++) {
        if (acl_size - at < ACE_HEADER_SIZE)
            return 0;
        const uint8_t *ace = acl + at;
        size_t ace_size = get16(ace + 2);
        if (ace_size < ACE_HEADER_SIZE || ace_size > acl_size - at)
            return 0;
        uint32_t mask = get32(ace + 4);
        size_t length = sid_length(ace + ACE_HEADER_SIZE, ace_size - ACE_HEADER_SIZE);
        if (length && ace[0] == ACCESS_DENIED_ACE_TYPE && (mask & remaining) &&
            holds(groups, count, ace + ACE_HEADER_SIZE, length, 1))
            return 0;
        if (length && ace[0] == ACCESS_ALLOWED_ACE_TYPE &&
            holds(groups, count, ace + ACE_HEADER_SIZE, length, 0))
            remaining &= ~mask;
        at += ace_size;
    }
    return remaining == 0;
}
