#include "pe_image.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DOS_E_LFANEW = 0x3C, PE32PLUS_MAGIC = 0x20B, MIN_OPTIONAL_HEADER = PE_OH_DATA_DIRECTORIES };

static int fail(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    return -1;
}

uint16_t pe_read16(const struct pe_image *image, size_t offset)
{
    const uint8_t *p = image->data + offset;

    return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t pe_read32(const struct pe_image *image, size_t offset)
{
    const uint8_t *p = image->data + offset;

    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void pe_write16(struct pe_image *image, size_t offset, uint16_t value)
{
    image->data[offset] = (uint8_t)value;
    image->data[offset + 1] = (uint8_t)(value >> 8);
}

void pe_write32(struct pe_image *image, size_t offset, uint32_t value)
{
    for (int i = 0; i < 4; i++)
        image->data[offset + (size_t)i] = (uint8_t)(value >> (8 * i));
}

/* 64-bit, so that no value a 32-bit field can hold overflows when rounded. */
uint64_t pe_align_up(uint64_t value, uint32_t alignment)
{
    if (alignment == 0)
        return value;
    return (value + alignment - 1) / alignment * alignment;
}

int pe_section_alignment_valid(uint32_t section_alignment)
{
    return section_alignment == PE_PAGE_SIZE;
}

int pe_file_alignment_valid(uint32_t file_alignment, uint32_t section_alignment)
{
    return file_alignment >= 0x200 && file_alignment <= 0x10000 &&
           (file_alignment & (file_alignment - 1)) == 0 && file_alignment <= section_alignment;
}

int pe_alignments_valid(const struct pe_image *image)
{
    uint32_t section = pe_read32(image, image->optional_header + PE_OH_SECTION_ALIGNMENT);
    uint32_t file = pe_read32(image, image->optional_header + PE_OH_FILE_ALIGNMENT);

    return pe_section_alignment_valid(section) && pe_file_alignment_valid(file, section);
}

size_t pe_section_header(const struct pe_image *image, unsigned index)
{
    return image->section_table + (size_t)index * PE_SECTION_HEADER_SIZE;
}

/* A name longer than 8 bytes is written "/<decimal offset>" into the COFF string table (GNU
 * tools do it, e.g. for .gnu_debuglink). Without a string table, or with an offset outside it,
 * the name stays as written; one longer than the buffer is cut. */
static void resolve_long_name(const struct pe_image *image, char *name, size_t size)
{
    uint32_t offset = 0;

    if (name[0] != '/' || name[1] == '\0' || image->string_table == 0)
        return;
    for (const char *p = name + 1; *p; p++) { /* at most 7 digits: no overflow */
        if (*p < '0' || *p > '9')
            return;
        offset = offset * 10 + (uint32_t)(*p - '0');
    }
    if (offset < 4 || offset >= image->string_table_size)
        return;
    const uint8_t *text = image->data + image->string_table + offset;
    const uint8_t *end = memchr(text, '\0', image->string_table_size - offset);
    if (!end)
        return;
    size_t length = (size_t)(end - text) < size - 1 ? (size_t)(end - text) : size - 1;
    memcpy(name, text, length);
    name[length] = '\0';
}

struct pe_section pe_section(const struct pe_image *image, unsigned index)
{
    struct pe_section s;
    size_t h = pe_section_header(image, index);

    memcpy(s.name, image->data + h, 8);
    s.name[8] = '\0';
    resolve_long_name(image, s.name, sizeof(s.name));
    s.virtual_size = pe_read32(image, h + 8);
    s.virtual_address = pe_read32(image, h + 12);
    s.raw_size = pe_read32(image, h + 16);
    s.raw_offset = pe_read32(image, h + 20);
    s.flags = pe_read32(image, h + 36);
    return s;
}

/* Bytes the section occupies once mapped: the loader maps at least its raw data. */
static uint32_t mapped_size(const struct pe_section *s)
{
    return s->virtual_size ? s->virtual_size : s->raw_size;
}

/* The COFF string table follows the symbol table; it is recorded only when its size field and
 * its bytes lie inside the file. */
static void find_string_table(struct pe_image *image)
{
    uint32_t symbols = pe_read32(image, image->file_header + PE_FH_POINTER_TO_SYMBOL_TABLE);
    uint32_t count = pe_read32(image, image->file_header + PE_FH_NUMBER_OF_SYMBOLS);
    uint64_t table = (uint64_t)symbols + (uint64_t)count * PE_SYMBOL_SIZE;

    if (symbols == 0 || table + 4 > image->size)
        return;
    uint32_t size = pe_read32(image, (size_t)table);
    if (size < 4 || table + size > image->size)
        return;
    image->string_table = (size_t)table;
    image->string_table_size = size;
}

int pe_open(struct pe_image *image, uint8_t *data, size_t size, char *err, size_t err_size)
{
    memset(image, 0, sizeof(*image));
    image->data = data;
    image->size = size;
    int rc = -1;

    if (size > PE_MAX_FILE_SIZE) {
        fail(err, err_size, "larger than %d MiB: not a driver", PE_MAX_FILE_SIZE >> 20);
        goto out;
    }
    if (size < 0x40 || data[0] != 'M' || data[1] != 'Z') {
        fail(err, err_size, "not a PE image (no MZ header)");
        goto out;
    }
    uint32_t pe = pe_read32(image, DOS_E_LFANEW);
    if ((uint64_t)pe + 4 + 20 > size || memcmp(data + pe, "PE\0\0", 4) != 0) {
        fail(err, err_size, "not a PE image (no PE signature)");
        goto out;
    }
    image->file_header = pe + 4;
    image->optional_header = image->file_header + 20;
    uint16_t optional_size = pe_read16(image, image->file_header + PE_FH_SIZE_OF_OPTIONAL_HEADER);
    if (optional_size < 2 || image->optional_header + optional_size > size) {
        fail(err, err_size, "truncated optional header");
        goto out;
    }
    if (pe_read16(image, image->optional_header + PE_OH_MAGIC) != PE32PLUS_MAGIC) {
        fail(err, err_size, "not a PE32+ image: x64 Windows loads only 64-bit drivers");
        goto out;
    }
    if (optional_size < MIN_OPTIONAL_HEADER) {
        fail(err, err_size, "truncated PE32+ optional header");
        goto out;
    }
    uint32_t dirs = pe_read32(image, image->optional_header + PE_OH_NUMBER_OF_RVA_AND_SIZES);
    if (dirs > 16 || PE_OH_DATA_DIRECTORIES + (size_t)dirs * 8 > optional_size) {
        fail(err, err_size, "bad NumberOfRvaAndSizes %u", (unsigned)dirs);
        goto out;
    }
    image->directory_count = dirs;
    image->section_table = image->optional_header + optional_size;
    image->section_count = pe_read16(image, image->file_header + PE_FH_NUMBER_OF_SECTIONS);
    if (image->section_count == 0 || image->section_count > 96 ||
        pe_section_header(image, image->section_count) > size) {
        fail(err, err_size, "bad section table (%u sections)", image->section_count);
        goto out;
    }
    uint32_t headers = pe_read32(image, image->optional_header + PE_OH_SIZE_OF_HEADERS);
    if (pe_section_header(image, image->section_count) > headers || headers > size) {
        fail(err, err_size, "SizeOfHeaders 0x%x does not cover the section table", (unsigned)headers);
        goto out;
    }
    find_string_table(image);
    uint32_t image_size = pe_read32(image, image->optional_header + PE_OH_SIZE_OF_IMAGE);
    for (unsigned i = 0; i < image->section_count; i++) {
        struct pe_section s = pe_section(image, i);
        if (s.raw_size && ((uint64_t)s.raw_offset + s.raw_size > size || s.raw_offset < headers)) {
            fail(err, err_size, "section %s: raw data outside the file", s.name);
            goto out;
        }
        if ((uint64_t)s.virtual_address + mapped_size(&s) > image_size) {
            fail(err, err_size, "section %s: beyond SizeOfImage", s.name);
            goto out;
        }
    }
    rc = 0;
out:
    if (rc) {
        free(data);
        memset(image, 0, sizeof(*image));
    }
    return rc;
}

void pe_close(struct pe_image *image)
{
    free(image->data);
    memset(image, 0, sizeof(*image));
}

int pe_section_of_rva(const struct pe_image *image, uint32_t rva)
{
    for (unsigned i = 0; i < image->section_count; i++) {
        struct pe_section s = pe_section(image, i);
        if (rva >= s.virtual_address && rva - s.virtual_address < mapped_size(&s))
            return (int)i;
    }
    return -1;
}

int pe_directory(const struct pe_image *image, unsigned index, uint32_t *rva, uint32_t *size)
{
    *rva = *size = 0;
    if (index >= image->directory_count)
        return 0;
    size_t d = image->optional_header + PE_OH_DATA_DIRECTORIES + (size_t)index * 8;
    *rva = pe_read32(image, d);
    *size = pe_read32(image, d + 4);
    return *size != 0;
}

void pe_set_directory(struct pe_image *image, unsigned index, uint32_t rva, uint32_t size)
{
    if (index >= image->directory_count)
        return;
    size_t d = image->optional_header + PE_OH_DATA_DIRECTORIES + (size_t)index * 8;
    pe_write32(image, d, rva);
    pe_write32(image, d + 4, size);
}

int pe_rva_to_offset(const struct pe_image *image, uint32_t rva, uint32_t length, size_t *offset)
{
    int i = pe_section_of_rva(image, rva);
    if (i < 0)
        return -1;
    struct pe_section s = pe_section(image, (unsigned)i);
    uint64_t delta = rva - s.virtual_address;
    if (delta + length > s.raw_size)
        return -1;
    *offset = s.raw_offset + (size_t)delta;
    return 0;
}

const char *pe_string_at(const struct pe_image *image, uint32_t rva)
{
    size_t offset;

    if (pe_rva_to_offset(image, rva, 1, &offset))
        return NULL;
    struct pe_section s = pe_section(image, (unsigned)pe_section_of_rva(image, rva));
    size_t end = (size_t)s.raw_offset + s.raw_size;
    if (!memchr(image->data + offset, '\0', end - offset))
        return NULL;
    return (const char *)image->data + offset;
}

size_t pe_sections_end(const struct pe_image *image)
{
    size_t end = pe_read32(image, image->optional_header + PE_OH_SIZE_OF_HEADERS);

    for (unsigned i = 0; i < image->section_count; i++) {
        struct pe_section s = pe_section(image, i);
        if (s.raw_size && (size_t)s.raw_offset + s.raw_size > end)
            end = (size_t)s.raw_offset + s.raw_size;
    }
    return end;
}

/* The algorithm of imagehlp's CheckSumMappedFile: a 16-bit one's-complement style sum of the
 * whole file with the checksum field skipped, plus the file length. */
uint32_t pe_compute_checksum(const struct pe_image *image)
{
    size_t field = image->optional_header + PE_OH_CHECKSUM;
    uint64_t sum = 0;
    size_t i;

    for (i = 0; i + 1 < image->size; i += 2) {
        if (i == field || i == field + 2)
            continue;
        sum += pe_read16(image, i);
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    if (i < image->size)
        sum += image->data[i];
    sum = (sum & 0xFFFF) + (sum >> 16);
    sum = (sum & 0xFFFF) + (sum >> 16);
    return (uint32_t)(sum + image->size);
}

/* Every change of the file's size goes through here: a string table it cuts is forgotten. */
static void set_size(struct pe_image *image, size_t size)
{
    image->size = size;
    if (image->string_table && image->string_table + image->string_table_size > size)
        image->string_table = image->string_table_size = 0;
}

int pe_truncate(struct pe_image *image, size_t size)
{
    if (size > image->size || size < pe_sections_end(image))
        return -1;
    set_size(image, size);
    return 0;
}

void pe_drop_symbol_table(struct pe_image *image)
{
    pe_write32(image, image->file_header + PE_FH_POINTER_TO_SYMBOL_TABLE, 0);
    pe_write32(image, image->file_header + PE_FH_NUMBER_OF_SYMBOLS, 0);
    image->string_table = image->string_table_size = 0;
}

/* SizeOfImage for the sections as they are; only called once the alignments are checked. */
static uint64_t image_end(const struct pe_image *image, uint32_t section_alignment)
{
    uint64_t end = pe_read32(image, image->optional_header + PE_OH_SIZE_OF_HEADERS);

    for (unsigned i = 0; i < image->section_count; i++) {
        struct pe_section s = pe_section(image, i);
        uint64_t e = (uint64_t)s.virtual_address + mapped_size(&s);
        if (e > end)
            end = e;
    }
    return pe_align_up(end, section_alignment);
}

static void adjust_initialized_data(struct pe_image *image, uint32_t flags, int64_t delta)
{
    if (!(flags & PE_SCN_CNT_INITIALIZED_DATA))
        return;
    size_t field = image->optional_header + PE_OH_SIZE_OF_INITIALIZED_DATA;
    int64_t value = (int64_t)pe_read32(image, field) + delta;
    pe_write32(image, field, value < 0 ? 0 : (uint32_t)value);
}

int pe_remove_last_section(struct pe_image *image)
{
    if (image->section_count < 2 || !pe_alignments_valid(image))
        return -1;
    unsigned last = image->section_count - 1;
    struct pe_section s = pe_section(image, last);
    /* Only a section that ends both the address space and the file can go without moving data. */
    for (unsigned i = 0; i < last; i++) {
        struct pe_section o = pe_section(image, i);
        if (o.virtual_address > s.virtual_address || (o.raw_size && o.raw_offset > s.raw_offset))
            return -1;
    }
    if (s.raw_size && (size_t)s.raw_offset + s.raw_size != pe_sections_end(image))
        return -1;

    memset(image->data + pe_section_header(image, last), 0, PE_SECTION_HEADER_SIZE);
    image->section_count = last;
    pe_write16(image, image->file_header + PE_FH_NUMBER_OF_SECTIONS, (uint16_t)last);
    uint32_t alignment = pe_read32(image, image->optional_header + PE_OH_SECTION_ALIGNMENT);
    pe_write32(image, image->optional_header + PE_OH_SIZE_OF_IMAGE,
               (uint32_t)image_end(image, alignment)); /* smaller than it was */
    adjust_initialized_data(image, s.flags, -(int64_t)s.raw_size);
    if (s.raw_size && image->size > s.raw_offset)
        set_size(image, pe_sections_end(image));
    return 0;
}

/* The bytes after the sections are exactly the COFF symbol table and its string table. */
static int is_coff_tail(const struct pe_image *image)
{
    return image->string_table &&
           pe_read32(image, image->file_header + PE_FH_POINTER_TO_SYMBOL_TABLE) ==
               pe_sections_end(image) &&
           image->string_table + image->string_table_size == image->size;
}

int pe_append_section(struct pe_image *image, const char *name, const uint8_t *content,
                      uint32_t length, uint32_t flags, uint32_t *virtual_address)
{
    uint32_t section_alignment = pe_read32(image, image->optional_header + PE_OH_SECTION_ALIGNMENT);
    uint32_t file_alignment = pe_read32(image, image->optional_header + PE_OH_FILE_ALIGNMENT);
    uint32_t headers = pe_read32(image, image->optional_header + PE_OH_SIZE_OF_HEADERS);
    size_t header = pe_section_header(image, image->section_count);

    if (!pe_alignments_valid(image)) /* the sizes below are rounded to them */
        return -1;
    if (image->section_count >= 96 || header + PE_SECTION_HEADER_SIZE > headers || length == 0)
        return -1;
    size_t end = pe_sections_end(image), tail = image->size - end;
    if (tail && !is_coff_tail(image)) /* overlay data would end up inside the section */
        return -1;
    for (size_t i = header; i < header + PE_SECTION_HEADER_SIZE; i++)
        if (image->data[i])
            return -1; /* the room after the table is not free */

    uint64_t rva = image_end(image, section_alignment);
    uint64_t raw_offset = pe_align_up(end, file_alignment);
    uint64_t raw_size = pe_align_up(length, file_alignment);
    uint64_t new_size = raw_offset + raw_size + tail;
    if (pe_align_up(rva + length, section_alignment) > UINT32_MAX || new_size > PE_MAX_FILE_SIZE)
        return -1;
    uint8_t *data = realloc(image->data, (size_t)new_size);
    if (!data)
        return -1;
    /* The COFF tables move behind the new section, and stay the file's tail. */
    memmove(data + raw_offset + raw_size, data + end, tail);
    memset(data + end, 0, (size_t)(raw_offset + raw_size) - end);
    memcpy(data + raw_offset, content, length);
    image->data = data;
    image->size = (size_t)new_size;
    if (tail) {
        image->string_table += (size_t)(raw_offset + raw_size) - end;
        pe_write32(image, image->file_header + PE_FH_POINTER_TO_SYMBOL_TABLE,
                   (uint32_t)(raw_offset + raw_size));
    }

    size_t name_length = strlen(name);
    memcpy(image->data + header, name, name_length > 8 ? 8 : name_length);
    pe_write32(image, header + 8, length);
    pe_write32(image, header + 12, (uint32_t)rva);
    pe_write32(image, header + 16, (uint32_t)raw_size);
    pe_write32(image, header + 20, (uint32_t)raw_offset);
    pe_write32(image, header + 36, flags);
    image->section_count++;
    pe_write16(image, image->file_header + PE_FH_NUMBER_OF_SECTIONS, (uint16_t)image->section_count);
    pe_write32(image, image->optional_header + PE_OH_SIZE_OF_IMAGE,
               (uint32_t)image_end(image, section_alignment));
    adjust_initialized_data(image, flags, (int64_t)raw_size);
    *virtual_address = (uint32_t)rva;
    return 0;
}

int pe_same_name(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        x += (x >= 'A' && x <= 'Z') ? 'a' - 'A' : 0;
        y += (y >= 'A' && y <= 'Z') ? 'a' - 'A' : 0;
        if (x != y)
            return 0;
        if (x == 0)
            return 1;
    }
}
