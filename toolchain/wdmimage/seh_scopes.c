/* The scope tables of __C_specific_handler (seh_scopes.h), as Windows' x64 unwinder reads them. */
#include "seh_scopes.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum {
    UNW_FLAG_EHANDLER = 1,
    UNW_FLAG_UHANDLER = 2,
    UNW_FLAG_CHAININFO = 4,
    IMPORT_DESCRIPTOR_SIZE = 20,
    MAX_IMPORT_MODULES = 64,
    MAX_THUNKS = 4096,
    MAX_SCOPES = 4096, /* far more __try blocks than one function holds */
    SCOPE_SIZE = 16,   /* BeginAddress, EndAddress, HandlerAddress, JumpTarget */
};

/* The name imported through the import address table slot at rva, or NULL. */
static const char *import_at_slot(const struct pe_image *image, uint32_t slot)
{
    uint32_t rva, size;
    size_t d, t;

    if (!pe_directory(image, PE_DIR_IMPORT, &rva, &size))
        return NULL;
    for (uint32_t i = 0; i < MAX_IMPORT_MODULES; i++) {
        if (pe_rva_to_offset(image, rva + i * IMPORT_DESCRIPTOR_SIZE, IMPORT_DESCRIPTOR_SIZE, &d))
            return NULL;
        uint32_t lookup = pe_read32(image, d), first_thunk = pe_read32(image, d + 16);
        if (first_thunk == 0)
            return NULL;
        if (slot < first_thunk || slot >= first_thunk + MAX_THUNKS * 8u || (slot - first_thunk) % 8)
            continue;
        uint32_t names = lookup ? lookup : first_thunk;
        if (pe_rva_to_offset(image, names + (slot - first_thunk), 8, &t))
            return NULL;
        uint64_t thunk = pe_read32(image, t) | (uint64_t)pe_read32(image, t + 4) << 32;
        return thunk && !(thunk >> 63) ? pe_string_at(image, (uint32_t)thunk + 2) : NULL;
    }
    return NULL;
}

/* The import a handler at rva stands for: a jump through the import address table
 * (`jmp [rip+disp32]`, with or without REX.W), as both linkers make them. */
static const char *handler_import(const struct pe_image *image, uint32_t rva)
{
    size_t offset;
    unsigned i = 0;

    if (pe_rva_to_offset(image, rva, 7, &offset))
        return NULL;
    const uint8_t *code = image->data + offset;
    if (code[0] == 0x48)
        i = 1;
    if (code[i] != 0xFF || code[i + 1] != 0x25)
        return NULL;
    int32_t displacement = (int32_t)pe_read32(image, offset + i + 2);
    return import_at_slot(image, (uint32_t)(rva + i + 6 + (int64_t)displacement));
}

/* Writes the finding; returns 1, what seh_scope_problem returns for one. */
static int finding(char *message, size_t size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static int finding(char *message, size_t size, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    vsnprintf(message, size, format, args);
    va_end(args);
    return 1;
}

int seh_scope_problem(const struct pe_image *image, uint32_t begin, uint32_t end, uint32_t unwind,
                      char *message, size_t size)
{
    size_t info, data;

    if (unwind & 1 || pe_rva_to_offset(image, unwind, 4, &info))
        return 0; /* chained by the linker's own convention, or reported by the unwind rule */
    unsigned flags = image->data[info] >> 3, codes = image->data[info + 2];
    if (flags & UNW_FLAG_CHAININFO || !(flags & (UNW_FLAG_EHANDLER | UNW_FLAG_UHANDLER)))
        return 0;
    uint32_t handler_field = unwind + 4 + ((codes + 1u) & ~1u) * 2;
    if (pe_rva_to_offset(image, handler_field, 8, &data))
        return finding(message, size, "the unwind information of the function at 0x%x names "
                        "an exception handler outside the image", begin);
    const char *handler = handler_import(image, pe_read32(image, data));
    if (!handler || strcmp(handler, "__C_specific_handler") != 0)
        return 0;
    uint32_t count = pe_read32(image, data + 4);
    if (count == 0)
        return finding(message, size, "the function at 0x%x-0x%x has a __try that protects "
                        "nothing (an empty scope table): the compiler did not protect its body "
                        "(clang 14 protects only the calls in a __try body; docs/debugging.md, "
                        "\"Exceptions\")", begin, end);
    if (count > MAX_SCOPES || pe_rva_to_offset(image, handler_field + 8, count * SCOPE_SIZE, &data))
        return finding(message, size, "the function at 0x%x has a scope table of %u entries, "
                        "outside the image", begin, count);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t from = pe_read32(image, data + (size_t)i * SCOPE_SIZE);
        uint32_t to = pe_read32(image, data + (size_t)i * SCOPE_SIZE + 4);
        if (from >= to || from < begin || to > end + 1)
            return finding(message, size, "the function at 0x%x-0x%x has a __try scope "
                            "0x%x-0x%x outside it", begin, end, from, to);
    }
    return 0;
}
