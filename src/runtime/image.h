/* The driver's own image as both linkers lay it out: where it starts and how long it is. No DDK
 * header: the runtime, the exception guard and the verifier share it. */
#ifndef MINWDM_IMAGE_H
#define MINWDM_IMAGE_H

#include <stdint.h>
#include <string.h>

/* The image's first byte: the linkers' __ImageBase, under a name that is not reserved. */
extern const char minwdm_image_base[] __asm__("__ImageBase");

/* SizeOfImage, from the image's own headers: e_lfanew at 0x3C, then SizeOfImage 0x50 into the
 * PE32+ headers (past the signature, the file header and 56 bytes of the optional header). */
static inline uintptr_t minwdm_image_size(void)
{
    int32_t headers;
    uint32_t size;

    memcpy(&headers, minwdm_image_base + 0x3C, sizeof(headers));
    memcpy(&size, minwdm_image_base + headers + 0x50, sizeof(size));
    return size;
}

#endif
