/*
 * minwdm's logger, in portable C: each message becomes one line, "<name>: <level>: <function>:
 * <text>" (with the CPU, IRQL and time after the level when asked), formatted on the stack by
 * core/format.c, kept in a ring of records under a lock, and handed to the platform's sink
 * (DbgPrintEx in the driver). No allocation; safe at any IRQL up to DISPATCH_LEVEL.
 *
 * The ring keeps whole records, oldest first; when a new one does not fit, the oldest are
 * overwritten and counted as dropped. Records are laid out as the contract's struct
 * minwdm_log_record, so reading them out is a copy.
 */
#ifndef MINWDM_CORE_LOG_H
#define MINWDM_CORE_LOG_H

#include <minwdm/control.h>
#include <stdarg.h>
#include <stddef.h>

#include <minwdm/format.h>
#include <minwdm/lock.h>

/* The most verbose level compiled in; calls above it vanish at compile time. */
#ifndef MINWDM_LOG_FLOOR
#define MINWDM_LOG_FLOOR MINWDM_LOG_TRACE
#endif

/* Optional parts of each line (the LogDetails value of the service key). */
#define LOG_DETAIL_CPU 1u
#define LOG_DETAIL_IRQL 2u
#define LOG_DETAIL_TIME 4u

struct log_platform {
    struct lock_ops lock;
    uint64_t (*now)(void);     /* 100 ns units since load */
    uint32_t (*cpu)(void);     /* NULL: not shown */
    uint32_t (*irql)(void);    /* NULL: not shown */
    /* Where each line goes besides the ring (NULL: nowhere); line is NUL-terminated. */
    void (*sink)(uint32_t level, const char *line);
};

struct log_ring {
    uint8_t *storage; /* 8-byte aligned */
    uint32_t size;    /* a multiple of 8, at least 2 * MINWDM_LOG_READ_MIN */
    uint32_t head;    /* where the next record goes */
    uint32_t tail;    /* the oldest record */
    uint32_t count;   /* records held */
    uint64_t next_sequence;
    uint64_t dropped;
};

struct logger {
    const char *name;
    uint32_t level;   /* records above it are not made */
    uint32_t details; /* LOG_DETAIL_* */
    uint64_t instance;
    struct log_platform platform;
    struct core_lock lock;
    struct log_ring ring; /* under lock */
};

void log_init(struct logger *logger, const char *name, const struct log_platform *platform,
              void *storage, uint32_t size, uint64_t instance);

/* Whether a message at level would be made: compiled in, and at or below the run-time level.
 * Inlined, a level above the floor folds to 0 and its call disappears. */
static inline int log_enabled(const struct logger *logger, uint32_t level)
{
    /* Read as log_set_level writes it: requests on other CPUs may set it meanwhile. */
    return level <= MINWDM_LOG_FLOOR && logger &&
           level <= __atomic_load_n(&logger->level, __ATOMIC_RELAXED);
}

/* Logs a printf-style message (core/format.h) from the calling function. The text of a message
 * is always an argument, never the format. */
#define log_at(logger, at_level, ...)                                           \
    do {                                                                        \
        if (log_enabled(logger, at_level))                                      \
            log_message((logger), (at_level), __func__, __VA_ARGS__);           \
    } while (0)

void log_message(struct logger *logger, uint32_t level, const char *function, const char *format,
                 ...) FORMAT_CHECK(4, 5);
void log_vmessage(struct logger *logger, uint32_t level, const char *function, const char *format,
                  va_list arguments);

/* Sets the run-time level; returns 0 for a level that does not exist. */
int log_set_level(struct logger *logger, uint32_t level);

/*
 * Copies the records after sequence `after` into output: a struct minwdm_log_batch, then as many
 * whole records as fit. Returns the bytes written; 0 when size < MINWDM_LOG_READ_MIN.
 */
uint32_t log_read(struct logger *logger, uint64_t after, void *output, uint32_t size);

/* Short level names: "error", "warn", "info", "debug", "trace". */
extern const char *const log_level_names[MINWDM_LOG_LEVEL_COUNT];

#endif
