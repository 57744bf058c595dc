/*
 * The special pool's layout and book-keeping, in portable C (the kernel glue,
 * src/runtime/special_pool.c, and the host tests bring the pages): as Driver Verifier's special
 * pool does, each block lives alone in its own pages, its end touching a no-access guard page,
 * and its pages are made no-access when it is freed. An overrun or a write after free then
 * faults at the writing instruction.
 *
 * One reserved range of address space holds SPECIAL_CLASSES regions of class_bytes each. Region c
 * is cut into slots of (2 << c) pages. A block of d data pages (d < 2 << c) takes one slot:
 *   overruns (the default):  [unused ...][d data pages][guard: the slot's last page]
 *   underruns:               [guard: the slot's first page][d data pages][unused ...]
 * Pages outside the data pages are never committed, so every page that is not a live block's
 * is no-access. Which page of a slot is the guard follows from an address alone, so a crash
 * report can tell an overrun (the guard page) from a use after free (any other page) with the
 * range, the class size and the mode that special_arena_describe prints at start.
 *
 * Freed slots stay no-access in a first-in first-out queue: a slot is used again only once every
 * slot never used and every slot freed before it was, so the quarantine is (slots of the class -
 * live blocks) allocations long, and costs address space, not memory.
 * Callers serialize every call (one lock); none of these functions sleeps.
 */
#ifndef MINWDM_CORE_SPECIAL_ARENA_H
#define MINWDM_CORE_SPECIAL_ARENA_H

#include <stddef.h>
#include <stdint.h>

#define SPECIAL_PAGE 4096u
#define SPECIAL_CLASSES 5u                /* slots of 2, 4, 8, 16 and 32 pages */
#define SPECIAL_CLASS_BYTES (64u << 20)   /* address space per class */
#define SPECIAL_SLACK_FILL 0x5C           /* bytes of the data pages around the block */

enum special_mode { SPECIAL_OVERRUNS, SPECIAL_UNDERRUNS };

enum special_slot_state { SPECIAL_SLOT_EMPTY, SPECIAL_SLOT_LIVE, SPECIAL_SLOT_FREED };

/* What a pointer is to the arena. */
enum special_lookup { SPECIAL_NOT_OURS, SPECIAL_LIVE, SPECIAL_FREED, SPECIAL_INSIDE };

/* What special_arena_free found. */
enum special_free_result {
    SPECIAL_FREE_OK,
    SPECIAL_FREE_NOT_OURS,
    SPECIAL_FREE_DOUBLE,      /* its pages were already freed */
    SPECIAL_FREE_MISALIGNED,  /* inside a block (live or freed), not at its start */
    SPECIAL_FREE_SLACK_WRITTEN /* freed, but bytes beside the block (same pages) were written */
};

struct special_record {
    uint32_t user_offset; /* from the slot's start to the block */
    uint32_t size;
    uint32_t tag;
    uint8_t state;        /* enum special_slot_state */
    uint8_t data_pages;
    uint16_t before;      /* bytes the caller asked for in front of the block */
    uint32_t next_freed;  /* the queue of freed slots: the next one, or SPECIAL_NONE */
};

#define SPECIAL_NONE UINT32_MAX

struct special_pages {
    void *context;
    /* Make [address, address + size) read-write (zeroed); 0 on failure. */
    int (*commit)(void *context, void *address, size_t size);
    /* Make it no-access again (its memory may go back to the system). */
    void (*decommit)(void *context, void *address, size_t size);
};

struct special_arena {
    uint8_t *base;            /* SPECIAL_CLASSES * class_bytes of reserved address space */
    size_t class_bytes;
    enum special_mode mode;
    struct special_pages pages;
    struct special_record *records[SPECIAL_CLASSES];
    uint32_t slots[SPECIAL_CLASSES];
    uint32_t fresh[SPECIAL_CLASSES];  /* slots never used: from this one on */
    uint32_t oldest[SPECIAL_CLASSES]; /* the queue of freed slots, oldest first (SPECIAL_NONE) */
    uint32_t newest[SPECIAL_CLASSES];
    uint64_t allocations, frees, refusals, live, committed_pages;
};

/* The records special_arena_init needs for class_bytes (zeroed memory, the caller's). */
size_t special_arena_record_count(size_t class_bytes);

/* Sets the arena up over base (reserved, no-access) and records (special_arena_record_count
 * of them, zeroed). class_bytes: a multiple of 64 pages. */
void special_arena_init(struct special_arena *arena, void *base, size_t class_bytes,
                        enum special_mode mode, const struct special_pages *pages,
                        struct special_record *records);

/* A block of size bytes, with before bytes usable in front of it in its pages; its start aligned
 * to alignment and to the largest power of two up to 16 dividing size, so that (overruns mode,
 * alignment <= 16) its last byte is the last before the guard page. NULL when it does not fit
 * a class or every slot of its class is live or committing failed. Zeroed, the bytes beside it
 * filled with SPECIAL_SLACK_FILL. In a never-used slot if there is one, else in the slot freed
 * longest ago. */
void *special_arena_alloc(struct special_arena *arena, size_t before, size_t size,
                          size_t alignment, uint32_t tag);

/* Frees the block at pointer (its pages no-access from now on); *record gets its record
 * (size, tag) when it was one of ours. *written: the first slack byte written, from the
 * block's start (negative: before it), for SPECIAL_FREE_SLACK_WRITTEN. */
enum special_free_result special_arena_free(struct special_arena *arena, void *pointer,
                                            struct special_record *record, long *written);

/* What pointer is, without touching it. */
enum special_lookup special_arena_lookup(const struct special_arena *arena, const void *pointer);

/* Whether address (any byte) lies in the arena's address space. */
int special_arena_contains(const struct special_arena *arena, const void *address);

/* 1 when address is in a guard page (a slot's last page; first, for underruns), 0 in any other
 * page of the arena, -1 outside it: the crash report's rule, from the layout alone. */
int special_arena_is_guard(uintptr_t base, size_t class_bytes, enum special_mode mode,
                           uintptr_t address);

/* The line a crash report reads to classify a fault (toolchain/wine/crash-report.sh) is
 * SPECIAL_ARENA_LINE, with the base, class_bytes, SPECIAL_CLASSES and the mode's name. */
#define SPECIAL_ARENA_LINE "special pool: arena 0x%llx class-bytes 0x%llx classes %u mode %s"

#endif
