/* The version resource (VERSIONINFO) of an image: `wdmimage version`. */
#ifndef WDMIMAGE_PE_VERSION_H
#define WDMIMAGE_PE_VERSION_H

#include "pe_image.h"

enum { PE_VERSION_MAX_STRINGS = 32 };

struct pe_version_string {
    char key[64];
    char value[256]; /* ASCII; other characters read as '?' */
};

struct pe_version {
    unsigned file_version[4], product_version[4];
    uint32_t file_flags, file_os, file_type, file_subtype;
    char language[16]; /* the first string table's key, e.g. 040904B0 */
    struct pe_version_string strings[PE_VERSION_MAX_STRINGS];
    unsigned string_count;
};

/* 0, or -1 with a reason in *why when the image has no readable version resource. */
int pe_version_read(const struct pe_image *image, struct pe_version *v, const char **why);
/* The value of a string of the first string table, or NULL. */
const char *pe_version_string(const struct pe_version *v, const char *key);

/*   wdmimage version <image.sys> [Key=value]...
 * Prints the version resource; each Key=value must match (FileVersion and ProductVersion also in
 * the fixed part), and the file type must be a driver's. Exit status: 0 as expected, 1 not (or
 * no version resource), 2 usage or I/O error. argv[0] is the first argument after "version". */
int version_main(int argc, char **argv);

#endif
