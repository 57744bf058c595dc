/* A small DER writer: constructed values are opened, filled and closed; lengths are written
 * when a value closes. Errors (memory, nesting) stick in `failed`. */
#ifndef WDMIMAGE_DER_H
#define WDMIMAGE_DER_H

#include <stddef.h>
#include <stdint.h>

enum {
    DER_INTEGER = 0x02, DER_BIT_STRING = 0x03, DER_OCTET_STRING = 0x04, DER_NULL = 0x05,
    DER_OID = 0x06, DER_UTC_TIME = 0x17, DER_BMP_STRING = 0x1E, DER_SEQUENCE = 0x30,
    DER_SET = 0x31, DER_CONTEXT = 0xA0, /* [n] constructed: DER_CONTEXT + n */
    DER_MAX_DEPTH = 32,
};

struct der {
    uint8_t *data;
    size_t size, capacity;
    size_t open[DER_MAX_DEPTH];
    int depth;
    int failed;
};

void der_open(struct der *d, uint8_t tag);
void der_close(struct der *d);
void der_primitive(struct der *d, uint8_t tag, const void *content, size_t size);
void der_oid(struct der *d, const char *dotted);
void der_null(struct der *d);
void der_integer(struct der *d, uint32_t value);
/* ASCII text as a BMPString (UTF-16BE), or with tag 0x80 for an implicit [0] one. */
void der_bmp(struct der *d, uint8_t tag, const char *ascii);
/* ASCII text as UTF-16LE with its terminating NUL, in an OCTET STRING (catalog values). */
void der_utf16le(struct der *d, const char *ascii);
void der_free(struct der *d);

#endif
