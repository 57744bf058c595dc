#include "file_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

uint8_t *file_read_all(const char *path, size_t max, size_t *size)
{
    struct stat st;
    uint8_t *data = NULL;
    FILE *f = NULL;

    if (stat(path, &st) != 0) {
        fprintf(stderr, "wdmimage: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode) || (uintmax_t)st.st_size > max) {
        fprintf(stderr, "wdmimage: %s: %s\n", path,
                S_ISREG(st.st_mode) ? "too large to be what it should be" : "not a file");
        return NULL;
    }
    *size = (size_t)st.st_size;
    if (!(f = fopen(path, "rb")) || !(data = malloc(*size + 1)) ||
        fread(data, 1, *size, f) != *size) {
        fprintf(stderr, "wdmimage: %s: %s\n", path, f ? "short read" : strerror(errno));
        free(data);
        data = NULL;
    } else {
        data[*size] = 0;
    }
    if (f)
        fclose(f);
    return data;
}

int file_read_image(const char *path, struct pe_image *image)
{
    char err[256];
    size_t size;
    uint8_t *data = file_read_all(path, PE_MAX_FILE_SIZE, &size);

    if (!data)
        return -1;
    if (pe_open(image, data, size, err, sizeof(err)) == 0)
        return 0;
    fprintf(stderr, "wdmimage: %s: %s\n", path, err);
    return -1;
}

int file_write_all(const char *path, const void *data, size_t size)
{
    size_t length = strlen(path) + 8;
    char *temporary = malloc(length);
    int rc = -1;

    if (!temporary)
        return -1;
    snprintf(temporary, length, "%s.tmp", path);
    FILE *f = fopen(temporary, "wb");
    if (f && fwrite(data, 1, size, f) == size && fclose(f) == 0) {
        f = NULL;
        rc = rename(temporary, path);
    }
    if (rc) {
        fprintf(stderr, "wdmimage: %s: %s\n", path, strerror(errno));
        if (f)
            fclose(f);
        remove(temporary);
    }
    free(temporary);
    return rc;
}
