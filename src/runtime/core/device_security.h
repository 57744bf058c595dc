/*
 * Who may open a device. The policy is a security descriptor, built here in portable C (no DDK
 * header) byte for byte as Windows lays it out, from an SDDL string of the subset
 * IoCreateDeviceSecure takes, so that the host tests can take it apart and evaluate it; the
 * driver applies it to its device object, and from then on the object manager refuses every
 * other caller before any of the driver's code runs. minwdm's own devices: SYSTEM and the
 * Administrators group, nobody else (SDDL_DEVOBJ_SYS_ALL_ADM_ALL).
 */
#ifndef MINWDM_CORE_DEVICE_SECURITY_H
#define MINWDM_CORE_DEVICE_SECURITY_H

#include <stddef.h>
#include <stdint.h>

/* Access rights (winnt.h values). */
#define DEVICE_FILE_READ_DATA 0x0001u
#define DEVICE_FILE_WRITE_DATA 0x0002u
#define DEVICE_FILE_EXECUTE 0x0020u /* traverse, for a device's namespace */
#define DEVICE_DELETE 0x00010000u
#define DEVICE_READ_CONTROL 0x00020000u
#define DEVICE_WRITE_DAC 0x00040000u
#define DEVICE_WRITE_OWNER 0x00080000u
#define DEVICE_FILE_ALL_ACCESS 0x001F01FFu /* GENERIC_ALL, mapped */
#define DEVICE_FILE_GENERIC_READ 0x00120089u
#define DEVICE_FILE_GENERIC_WRITE 0x00120116u
#define DEVICE_FILE_GENERIC_EXECUTE 0x001200A0u

/* Limits of the descriptors built here: wdmsec.h's strings have at most 4 ACEs. */
#define DEVICE_SECURITY_MAX_ACES 8u
#define DEVICE_SECURITY_MAX_SUB_AUTHORITIES 15u
/* The most bytes a descriptor takes: header, ACL header, then ACEs with the longest SIDs. */
#define DEVICE_SECURITY_DESCRIPTOR_MAX \
    (20u + 8u + DEVICE_SECURITY_MAX_ACES * (8u + 8u + 4u * DEVICE_SECURITY_MAX_SUB_AUTHORITIES))

/*
 * Writes the self-relative security descriptor an SDDL string stands for (`count` UTF-16 code
 * units, no terminator needed), in the subset IoCreateDeviceSecure takes: "D:P" (a protected
 * DACL: nothing inherited), then up to DEVICE_SECURITY_MAX_ACES "(A;;<access>;;;<sid>)" allow
 * entries. <access>: "0x" and hex digits, or codes from GA GR GW GX RC SD WD WO; generic rights
 * are mapped to file rights (GENERIC_ALL to FILE_ALL_ACCESS...) as the I/O manager maps them for
 * devices. <sid>: SY LS NS BA BU BG AU AN IU NU WD RC UD, or the "S-1-..." form. No owner, group
 * or SACL. Returns the descriptor's size; 0 when the string is outside that subset (nothing is
 * ever dropped or widened to fit) or `size` is too small.
 */
size_t device_security_from_sddl(const uint16_t *sddl, size_t count, uint8_t *buffer,
                                 size_t size);

/* minwdm's own: "D:P(A;;GA;;;SY)(A;;GA;;;BA)", FILE_ALL_ACCESS to SYSTEM (S-1-5-18) and
 * BUILTIN\Administrators (S-1-5-32-544), nothing to anyone else. As above. */
size_t device_security_descriptor(uint8_t *buffer, size_t size);

/* A caller's identity as a token holds it: SIDs (binary, as in a descriptor) with attributes. */
#define DEVICE_GROUP_ENABLED 0x4u         /* SE_GROUP_ENABLED */
#define DEVICE_GROUP_USE_FOR_DENY_ONLY 0x10u /* SE_GROUP_USE_FOR_DENY_ONLY: UAC's filtered token */

struct device_group {
    const uint8_t *sid;
    uint32_t attributes;
};

/*
 * Whether the descriptor grants `desired` (specific rights, generic ones already mapped) to a
 * token holding these groups (its user SID first, as enabled), by Windows' DACL rules: ACEs in
 * order, a deny ACE for any wanted right refuses, allow ACEs count only for enabled groups, no
 * DACL allows everything, an empty one nothing. For the tests: Windows does this itself.
 */
int device_security_allows(const uint8_t *descriptor, size_t size,
                           const struct device_group *groups, size_t count, uint32_t desired);

#endif
