/* SHA-256 (FIPS 180-4), for the catalog's member hashes. */
#ifndef WDMIMAGE_SHA256_H
#define WDMIMAGE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t state[8];
    uint64_t length; /* bytes so far */
    uint8_t block[64];
    size_t used;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t size);
void sha256_final(struct sha256 *s, uint8_t digest[32]);

#endif
