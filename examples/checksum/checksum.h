/* checksum's request contract, shared by the driver and its clients: step 1 of README.md. */
#ifndef CHECKSUM_H
#define CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

#define CHECKSUM_DEVICE_PATH "\\\\.\\checksum"
#define CHECKSUM_DEVICE_TYPE 0x8401u
/* CTL_CODE(CHECKSUM_DEVICE_TYPE, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS) */
#define IOCTL_CHECKSUM_CRC32 ((CHECKSUM_DEVICE_TYPE << 16) | (1u << 14) | (0x800u << 2))
#define CHECKSUM_MAX_INPUT 65536u

/*
 * IOCTL_CHECKSUM_CRC32: input 0 to CHECKSUM_MAX_INPUT bytes, output their CRC-32 (IEEE 802.3,
 * as zlib's crc32) as a uint32_t. More input: STATUS_INVALID_PARAMETER; output under 4 bytes:
 * STATUS_BUFFER_TOO_SMALL; nothing is written on a failure.
 */

/* The CRC-32 of size bytes: the same code in the driver and in the client (crc32.c). */
uint32_t checksum_crc32(const void *data, size_t size);

#endif
