/* Whole files read into memory for wdmimage's subcommands, with their size limits. */
#ifndef WDMIMAGE_FILE_UTIL_H
#define WDMIMAGE_FILE_UTIL_H

#include "pe_image.h"

#include <stddef.h>
#include <stdint.h>

/* The file's bytes (malloc'd, NUL-terminated one past size) or NULL with the reason on stderr;
 * files larger than max are refused unread. */
uint8_t *file_read_all(const char *path, size_t max, size_t *size);
/* Reads and opens an image; -1 with the reason on stderr. */
int file_read_image(const char *path, struct pe_image *image);
/* Writes next to path and renames: never a half-written file. -1 with the reason on stderr. */
int file_write_all(const char *path, const void *data, size_t size);

#endif
