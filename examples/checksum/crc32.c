/* CRC-32 (reflected, polynomial 0xEDB88320), bit by bit: small, and fast enough for requests of
 * at most 64 KiB. Portable: the driver and the client share it. */
#include "checksum.h"

uint32_t checksum_crc32(const void *data, size_t size)
{
    const uint8_t *p = data;
    uint32_t crc = 0xFFFFFFFFu;

    while (size--) {
        crc ^= *p++;
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}
