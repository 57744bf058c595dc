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

/* S-1-5-18 and S-1-5-32-544: NT AUTHORITY\SYSTEM and BUILTIN\Administrators. */
static const uint8_t local_system[] = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};
static const uint8_t administrators[] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0};

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

size_t device_security_descriptor(uint8_t *buffer, size_t size)
{
    static const struct {
        const uint8_t *sid;
        size_t length;
    } allowed[] = {{local_system, sizeof(local_system)}, {administrators, sizeof(administrators)}};
    enum { COUNT = sizeof(allowed) / sizeof(allowed[0]) };
    size_t acl_size = ACL_HEADER_SIZE;

    for (size_t i = 0; i < COUNT; i++)
        acl_size += ACE_HEADER_SIZE + allowed[i].length;
    if (size < SD_HEADER_SIZE + acl_size)
        return 0;
    memset(buffer, 0, SD_HEADER_SIZE + acl_size);
    buffer[0] = SD_REVISION;
    /* Protected: nothing is inherited from \Device, whatever its own descriptor says. */
    put16(buffer + 2, SE_DACL_PRESENT | SE_DACL_PROTECTED | SE_SELF_RELATIVE);
    put32(buffer + 16, SD_HEADER_SIZE); /* the DACL; no owner, group or SACL: unchanged */
    uint8_t *acl = buffer + SD_HEADER_SIZE;
    acl[0] = ACL_REVISION;
    put16(acl + 2, (uint32_t)acl_size);
    put16(acl + 4, COUNT);
    uint8_t *ace = acl + ACL_HEADER_SIZE;
    for (size_t i = 0; i < COUNT; i++) {
        ace[0] = ACCESS_ALLOWED_ACE_TYPE;
        put16(ace + 2, (uint32_t)(ACE_HEADER_SIZE + allowed[i].length));
        put32(ace + 4, DEVICE_FILE_ALL_ACCESS);
        memcpy(ace + ACE_HEADER_SIZE, allowed[i].sid, allowed[i].length);
        ace += ACE_HEADER_SIZE + allowed[i].length;
    }
    return SD_HEADER_SIZE + acl_size;
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
