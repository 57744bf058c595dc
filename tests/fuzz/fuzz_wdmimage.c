/*
 * libFuzzer target for wdmimage: any bytes as a driver image, as `wdmimage fix` and `check`
 * see them. Whatever pe_open accepts is checked and fixed. When fix calls the image correct,
 * its bytes (what `wdmimage fix` writes) must open again and pass every rule, and a second fix
 * must change nothing, byte for byte. Seeds: the build's images (scripts/fuzz collects them);
 * scripts/fuzz also sets a malloc limit, so that an allocation sized from a damaged header
 * fails the run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe_rules.h"

static const struct pe_policy strict = {0};
static const struct pe_policy must_be_signed = {.require_signature = 1};

static int open_copy(struct pe_image *image, const uint8_t *data, size_t size)
{
    char err[256];
    uint8_t *copy = malloc(size ? size : 1);

    if (!copy)
        abort();
    memcpy(copy, data, size);
    return pe_open(image, copy, size, err, sizeof(err));
}

static void print_finding(void *context, enum pe_rule rule, const char *message)
{
    fprintf(stderr, "%s: %s: %s\n", (const char *)context, pe_rule_name(rule), message);
}

static unsigned second_fix_changes;

static void count_change(void *context, enum pe_rule rule, const char *message)
{
    print_finding(context, rule, message);
    second_fix_changes++;
}

static size_t first_difference(const struct pe_image *a, const struct pe_image *b)
{
    size_t i = 0;

    while (i < a->size && i < b->size && a->data[i] == b->data[i])
        i++;
    return i;
}

/* The fixed image, written and opened again, follows every rule and is its own fix. */
static void check_fixed(const struct pe_image *fixed)
{
    struct pe_image again;

    if (open_copy(&again, fixed->data, fixed->size)) {
        fprintf(stderr, "the fixed image (%zu bytes) does not open again\n", fixed->size);
        abort();
    }
    if (pe_check(&again, &strict, print_finding, "reopened fixed image") != 0)
        abort();
    second_fix_changes = 0;
    unsigned remaining = pe_fix(&again, &strict, count_change, "second fix changed",
                                print_finding, "after the second fix");
    if (remaining != 0 || second_fix_changes != 0 || again.size != fixed->size ||
        memcmp(again.data, fixed->data, fixed->size) != 0) {
        fprintf(stderr, "second fix: %u changes, %u findings left, %zu bytes (first fix: %zu), "
                        "first difference at offset %zu\n", second_fix_changes, remaining,
                again.size, fixed->size, first_difference(&again, fixed));
        abort();
    }
    pe_close(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pe_image image;

    if (open_copy(&image, data, size))
        return 0;
    pe_check(&image, &must_be_signed, NULL, NULL);
    if (pe_fix(&image, &strict, NULL, NULL, NULL, NULL) == 0)
        check_fixed(&image);
    pe_close(&image);
    return 0;
}
