#include "special_arena.h"

#include <string.h>

static size_t slot_bytes(unsigned c)
{
    return (size_t)SPECIAL_PAGE << (c + 1);
}

size_t special_arena_record_count(size_t class_bytes)
{
    size_t count = 0;

    for (unsigned c = 0; c < SPECIAL_CLASSES; c++)
        count += class_bytes / slot_bytes(c);
    return count;
}

void special_arena_init(struct special_arena *arena, void *base, size_t class_bytes,
                        enum special_mode mode, const struct special_pages *pages,
                        struct special_record *records)
{
    memset(arena, 0, sizeof(*arena));
    arena->base = base;
    arena->class_bytes = class_bytes;
    arena->mode = mode;
    arena->pages = *pages;
    for (unsigned c = 0; c < SPECIAL_CLASSES; c++) {
        arena->records[c] = records;
        arena->slots[c] = (uint32_t)(class_bytes / slot_bytes(c));
        arena->oldest[c] = arena->newest[c] = SPECIAL_NONE;
        records += arena->slots[c];
    }
}

static uint8_t *slot_start(const struct special_arena *arena, unsigned c, uint32_t slot)
{
    return arena->base + c * arena->class_bytes + (size_t)slot * slot_bytes(c);
}

/* The largest power of two up to 16 that divides size: what its type's alignment can be. */
static size_t natural_alignment(size_t size)
{
    size_t low = size & (~size + 1);

    return !size || low > 16 ? 16 : low;
}

static void *user_place(const struct special_arena *arena, uint8_t *slot, unsigned c,
                        size_t before, size_t size, size_t align, size_t *data_offset,
                        uint32_t *pages)
{
    uint8_t *data, *user;

    if (arena->mode == SPECIAL_UNDERRUNS) {
        data = slot + SPECIAL_PAGE;
        user = data + ((before + align - 1) & ~(align - 1));
        *pages = (uint32_t)((size_t)(user + size - data + SPECIAL_PAGE - 1) / SPECIAL_PAGE);
    } else {
        uint8_t *guard = slot + slot_bytes(c) - SPECIAL_PAGE;
        user = (uint8_t *)((uintptr_t)(guard - size) & ~(uintptr_t)(align - 1));
        *pages = (uint32_t)((size_t)(guard - (user - before) + SPECIAL_PAGE - 1) / SPECIAL_PAGE);
        data = guard - (size_t)*pages * SPECIAL_PAGE;
    }
    *data_offset = (size_t)(data - slot);
    return user;
}

/* A slot never used, else the one freed longest ago; SPECIAL_NONE when all are live. */
static uint32_t take_slot(struct special_arena *arena, unsigned c)
{
    uint32_t slot = arena->oldest[c];

    if (arena->fresh[c] < arena->slots[c])
        return arena->fresh[c]++;
    if (slot != SPECIAL_NONE) {
        arena->oldest[c] = arena->records[c][slot].next_freed;
        if (arena->oldest[c] == SPECIAL_NONE)
            arena->newest[c] = SPECIAL_NONE;
    }
    return slot;
}

/* A slot whose commit failed goes back to the head of the queue (it stays no-access). */
static void put_freed(struct special_arena *arena, unsigned c, uint32_t slot)
{
    arena->records[c][slot].next_freed = arena->oldest[c];
    arena->oldest[c] = slot;
    if (arena->newest[c] == SPECIAL_NONE)
        arena->newest[c] = slot;
}

/* A freed slot joins the end of the queue. */
static void queue_freed(struct special_arena *arena, unsigned c, uint32_t slot)
{
    arena->records[c][slot].next_freed = SPECIAL_NONE;
    if (arena->newest[c] == SPECIAL_NONE)
        arena->oldest[c] = slot;
    else
        arena->records[c][arena->newest[c]].next_freed = slot;
    arena->newest[c] = slot;
}

void *special_arena_alloc(struct special_arena *arena, size_t before, size_t size,
                          size_t alignment, uint32_t tag)
{
    size_t align = alignment > 16 ? alignment : natural_alignment(size);
    size_t need = before + size + align, data_offset;
    unsigned c = 0;
    uint32_t pages;

    if (!arena->base || size > UINT32_MAX || before > UINT16_MAX || need < size)
        return NULL;
    while (c < SPECIAL_CLASSES && need + SPECIAL_PAGE > slot_bytes(c))
        c++;
    if (c == SPECIAL_CLASSES) {
        arena->refusals++;
        return NULL;
    }
    uint32_t slot = take_slot(arena, c);
    if (slot != SPECIAL_NONE) {
        struct special_record *r = &arena->records[c][slot];
        uint8_t *start = slot_start(arena, c, slot);
        uint8_t *user = user_place(arena, start, c, before, size, align, &data_offset, &pages);
        uint8_t *data = start + data_offset, *end = data + (size_t)pages * SPECIAL_PAGE;
        if (!arena->pages.commit(arena->pages.context, data, (size_t)pages * SPECIAL_PAGE)) {
            put_freed(arena, c, slot); /* back where it was taken from, first in line */
            arena->refusals++;
            return NULL;
        }
        memset(data, SPECIAL_SLACK_FILL, (size_t)(user - before - data));
        memset(user - before, 0, before + size);
        memset(user + size, SPECIAL_SLACK_FILL, (size_t)(end - user - size));
        r->user_offset = (uint32_t)(user - start);
        r->size = (uint32_t)size;
        r->tag = tag;
        r->state = SPECIAL_SLOT_LIVE;
        r->data_pages = (uint8_t)pages;
        r->before = (uint16_t)before;
        arena->allocations++;
        arena->live++;
        arena->committed_pages += pages;
        return user;
    }
    arena->refusals++;
    return NULL;
}

/* The class and slot of an address of the arena; 0 outside it. */
static int locate(const struct special_arena *arena, const void *pointer, unsigned *c,
                  uint32_t *slot)
{
    if (!special_arena_contains(arena, pointer))
        return 0;
    size_t offset = (size_t)((const uint8_t *)pointer - arena->base);
    *c = (unsigned)(offset / arena->class_bytes);
    *slot = (uint32_t)(offset % arena->class_bytes / slot_bytes(*c));
    return 1;
}

int special_arena_contains(const struct special_arena *arena, const void *address)
{
    const uint8_t *p = address;

    return arena->base && p >= arena->base && p < arena->base + SPECIAL_CLASSES * arena->class_bytes;
}

enum special_lookup special_arena_lookup(const struct special_arena *arena, const void *pointer)
{
    unsigned c;
    uint32_t slot;

    if (!locate(arena, pointer, &c, &slot))
        return SPECIAL_NOT_OURS;
    const struct special_record *r = &arena->records[c][slot];
    if (r->state == SPECIAL_SLOT_EMPTY ||
        (const uint8_t *)pointer != slot_start(arena, c, slot) + r->user_offset)
        return SPECIAL_INSIDE;
    return r->state == SPECIAL_SLOT_LIVE ? SPECIAL_LIVE : SPECIAL_FREED;
}

/* The first byte beside the block that lost its fill, from the block's start; 0: none. */
static long slack_written(const uint8_t *data, const uint8_t *user, const struct special_record *r)
{
    const uint8_t *end = data + (size_t)r->data_pages * SPECIAL_PAGE;

    for (const uint8_t *p = data; p < user - r->before; p++)
        if (*p != SPECIAL_SLACK_FILL)
            return (long)(p - user);
    for (const uint8_t *p = user + r->size; p < end; p++)
        if (*p != SPECIAL_SLACK_FILL)
            return (long)(p - user);
    return 0;
}

enum special_free_result special_arena_free(struct special_arena *arena, void *pointer,
                                            struct special_record *record, long *written)
{
    unsigned c;
    uint32_t slot;

    *written = 0;
    if (!locate(arena, pointer, &c, &slot))
        return SPECIAL_FREE_NOT_OURS;
    struct special_record *r = &arena->records[c][slot];
    uint8_t *start = slot_start(arena, c, slot), *user = start + r->user_offset;
    *record = *r;
    if (r->state == SPECIAL_SLOT_EMPTY || (uint8_t *)pointer != user)
        return SPECIAL_FREE_MISALIGNED;
    if (r->state == SPECIAL_SLOT_FREED)
        return SPECIAL_FREE_DOUBLE;
    uint8_t *data = arena->mode == SPECIAL_UNDERRUNS
                        ? start + SPECIAL_PAGE
                        : start + slot_bytes(c) - SPECIAL_PAGE - (size_t)r->data_pages * SPECIAL_PAGE;
    *written = slack_written(data, user, r);
    arena->pages.decommit(arena->pages.context, data, (size_t)r->data_pages * SPECIAL_PAGE);
    r->state = SPECIAL_SLOT_FREED;
    queue_freed(arena, c, slot);
    arena->frees++;
    arena->live--;
    arena->committed_pages -= r->data_pages;
    return *written ? SPECIAL_FREE_SLACK_WRITTEN : SPECIAL_FREE_OK;
}

int special_arena_is_guard(uintptr_t base, size_t class_bytes, enum special_mode mode,
                           uintptr_t address)
{
    if (address < base || address - base >= SPECIAL_CLASSES * class_bytes)
        return -1;
    size_t offset = address - base;
    unsigned c = (unsigned)(offset / class_bytes);
    size_t page = offset % class_bytes % slot_bytes(c) / SPECIAL_PAGE;
    size_t last = slot_bytes(c) / SPECIAL_PAGE - 1;

    return mode == SPECIAL_UNDERRUNS ? page == 0 : page == last;
}
