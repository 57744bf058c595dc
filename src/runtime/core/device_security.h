/*
 * Who may open the device: SYSTEM and the Administrators group, nobody else. The policy is a
 * security descriptor, built here in portable C (no DDK header) byte for byte as Windows lays it
 * out, so that the host tests can take it apart and evaluate it; the driver applies it to its
 * device object, and from then on the object manager refuses every other caller before any of
 * the driver's code runs.
 */
#ifndef MINWDM_CORE_DEVICE_SECURITY_H
#define MINWDM_CORE_DEVICE_SECURITY_H

#include <stddef.h>
#include <stdint.h>

/* Access rights (winnt.h values). */
#define DEVICE_FILE_READ_DATA 0x0001u
#define DEVICE_FILE_WRITE_DATA 0x0002u
#define DEVICE_FILE_ALL_ACCESS 0x001F01FFu /* what the descriptor grants */
#define DEVICE_FILE_GENERIC_READ 0x00120089u
#define DEVICE_FILE_GENERIC_WRITE 0x00120116u

/* The most bytes device_security_descriptor() writes. */
#define DEVICE_SECURITY_DESCRIPTOR_MAX 128u

/*
 * Writes the device's self-relative security descriptor: a protected DACL (nothing inherited)
 * allowing FILE_ALL_ACCESS to SYSTEM (S-1-5-18) and BUILTIN\Administrators (S-1-5-32-544), and
 * nothing to anyone else. Returns its size, or 0 when size is too small.
 */
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
