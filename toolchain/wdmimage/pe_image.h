/* A bounds-checked view of a PE32+ image held in memory, with the few edits wdmimage makes. */
#ifndef WDMIMAGE_PE_IMAGE_H
#define WDMIMAGE_PE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

enum {
    PE_DIR_EXPORT = 0,
    PE_DIR_IMPORT = 1,
    PE_DIR_EXCEPTION = 3,
    PE_DIR_SECURITY = 4,
    PE_DIR_BASERELOC = 5,
    PE_DIR_DEBUG = 6,
    PE_DIR_IAT = 12,
    PE_DIR_DELAY_IMPORT = 13,
};

enum {
    PE_MAX_FILE_SIZE = 64 << 20, /* no driver comes near it; anything larger is refused unread */
    PE_PAGE_SIZE = 0x1000,
    PE_SYMBOL_SIZE = 18, /* a COFF symbol table entry */
};

enum {
    PE_FILE_RELOCS_STRIPPED = 0x0001,
    PE_FILE_DLL = 0x2000,
    PE_DLL_DYNAMIC_BASE = 0x0040,
    PE_DLL_NX_COMPAT = 0x0100,
    PE_SCN_CNT_CODE = 0x00000020,
    PE_SCN_CNT_INITIALIZED_DATA = 0x00000040,
    PE_SCN_MEM_DISCARDABLE = 0x02000000,
    PE_SCN_MEM_NOT_PAGED = 0x08000000,
    PE_SCN_MEM_EXECUTE = 0x20000000,
    PE_SCN_MEM_READ = 0x40000000,
    PE_SCN_MEM_WRITE = 0x80000000u,
};

/* Offsets inside the file header and the PE32+ optional header. */
enum {
    PE_FH_MACHINE = 0,
    PE_FH_NUMBER_OF_SECTIONS = 2,
    PE_FH_POINTER_TO_SYMBOL_TABLE = 8,
    PE_FH_NUMBER_OF_SYMBOLS = 12,
    PE_FH_SIZE_OF_OPTIONAL_HEADER = 16,
    PE_FH_CHARACTERISTICS = 18,
    PE_OH_MAGIC = 0,
    PE_OH_SIZE_OF_INITIALIZED_DATA = 8,
    PE_OH_ADDRESS_OF_ENTRY_POINT = 16,
    PE_OH_SECTION_ALIGNMENT = 32,
    PE_OH_FILE_ALIGNMENT = 36,
    PE_OH_MAJOR_OS_VERSION = 40, /* then minor OS, major and minor image, major and minor subsystem */
    PE_OH_MAJOR_SUBSYSTEM_VERSION = 48,
    PE_OH_SIZE_OF_IMAGE = 56,
    PE_OH_SIZE_OF_HEADERS = 60,
    PE_OH_CHECKSUM = 64,
    PE_OH_SUBSYSTEM = 68,
    PE_OH_DLL_CHARACTERISTICS = 70,
    PE_OH_NUMBER_OF_RVA_AND_SIZES = 108,
    PE_OH_DATA_DIRECTORIES = 112,
    PE_SECTION_HEADER_SIZE = 40,
};

struct pe_image {
    uint8_t *data; /* owned, malloc'd; edits may reallocate it */
    size_t size;
    size_t file_header; /* offset of the COFF file header, just after "PE\0\0" */
    size_t optional_header;
    size_t section_table;
    unsigned section_count;
    unsigned directory_count;
    size_t string_table; /* offset of the COFF string table, 0 when there is none */
    uint32_t string_table_size; /* its size, the 4-byte size field included */
};

struct pe_section {
    char name[64]; /* NUL-terminated: the 8-byte name, or the long name "/<n>" stands for */
    uint32_t virtual_address;
    uint32_t virtual_size;
    uint32_t raw_offset;
    uint32_t raw_size;
    uint32_t flags;
};

/* Takes ownership of data (malloc'd) and checks the structure. On failure, writes a reason to
 * err, frees data and returns -1. */
int pe_open(struct pe_image *image, uint8_t *data, size_t size, char *err, size_t err_size);
void pe_close(struct pe_image *image);

uint16_t pe_read16(const struct pe_image *image, size_t offset);
uint32_t pe_read32(const struct pe_image *image, size_t offset);
void pe_write16(struct pe_image *image, size_t offset, uint16_t value);
void pe_write32(struct pe_image *image, size_t offset, uint32_t value);

struct pe_section pe_section(const struct pe_image *image, unsigned index);
size_t pe_section_header(const struct pe_image *image, unsigned index);
int pe_section_of_rva(const struct pe_image *image, uint32_t rva);
/* 1 and the directory when present (index below NumberOfRvaAndSizes and size non-zero). */
int pe_directory(const struct pe_image *image, unsigned index, uint32_t *rva, uint32_t *size);
void pe_set_directory(struct pe_image *image, unsigned index, uint32_t rva, uint32_t size);

/* File offset of [rva, rva + length) when it lies inside one section's raw data, else -1. */
int pe_rva_to_offset(const struct pe_image *image, uint32_t rva, uint32_t length, size_t *offset);
/* The NUL-terminated string at rva, or NULL when it runs outside the section. */
const char *pe_string_at(const struct pe_image *image, uint32_t rva);

/* End of the last section's raw data: anything after it is overlay (symbols, signature). */
size_t pe_sections_end(const struct pe_image *image);
uint32_t pe_compute_checksum(const struct pe_image *image);
uint64_t pe_align_up(uint64_t value, uint32_t alignment);

/* The alignments wdmimage accepts (the alignment rule in pe_rules.c says why); the edits below
 * refuse an image whose header says otherwise, so that nothing is rounded or allocated with a
 * value nobody checked. */
int pe_section_alignment_valid(uint32_t section_alignment);
int pe_file_alignment_valid(uint32_t file_alignment, uint32_t section_alignment);
int pe_alignments_valid(const struct pe_image *image);

/* Edits. Each returns 0, or -1 when it cannot be done (the image is then unchanged). */
int pe_truncate(struct pe_image *image, size_t size);
/* Clears the COFF symbol table's pointer and count (the bytes stay until truncated). */
void pe_drop_symbol_table(struct pe_image *image);
int pe_remove_last_section(struct pe_image *image);
/* Adds a section after the last one; a COFF symbol and string table that end the file stay its
 * tail, after the new section. */
int pe_append_section(struct pe_image *image, const char *name, const uint8_t *content,
                      uint32_t length, uint32_t flags, uint32_t *virtual_address);

/* Module and function names as Windows compares module names: ASCII case ignored. */
int pe_same_name(const char *a, const char *b);

#endif
