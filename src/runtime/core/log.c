#include <minwdm/log.h>

#include <string.h>

#include <minwdm/format.h>

const char *const log_level_names[MINWDM_LOG_LEVEL_COUNT] = {"error", "warn", "info", "debug",
                                                             "trace"};

/* A line being built: length counts what the whole line would take, cut or not. */
struct line {
    char text[MINWDM_LOG_LINE_MAX + 1];
    size_t length;
};

static void vappend(struct line *line, const char *format, va_list arguments)
{
    size_t at = line->length < MINWDM_LOG_LINE_MAX ? line->length : MINWDM_LOG_LINE_MAX;

    line->length += (size_t)format_vstring(line->text + at, sizeof(line->text) - at, format,
                                           arguments);
}

/* Plain text: the line's fixed parts, without the formatter's work. */
static void append_text(struct line *line, const char *text)
{
    size_t length = strlen(text);

    if (line->length < MINWDM_LOG_LINE_MAX) {
        size_t room = MINWDM_LOG_LINE_MAX - line->length;
        memcpy(line->text + line->length, text, length < room ? length : room);
    }
    line->length += length;
}

static void append(struct line *line, const char *format, ...) FORMAT_CHECK(2, 3);
static void append(struct line *line, const char *format, ...)
{
    va_list arguments;

    va_start(arguments, format);
    vappend(line, format, arguments);
    va_end(arguments);
}

static struct minwdm_log_record *record_at(const struct log_ring *r, uint32_t offset)
{
    return (struct minwdm_log_record *)(void *)(r->storage + offset);
}

/* Where a walk goes on from offset: the start, when the writer wrapped there. */
static uint32_t wrapped(const struct log_ring *r, uint32_t offset)
{
    if (r->size - offset < sizeof(struct minwdm_log_record) || record_at(r, offset)->sequence == 0)
        return 0;
    return offset;
}

static uint32_t next_record(const struct log_ring *r, uint32_t offset)
{
    return offset + MINWDM_LOG_RECORD_SIZE(record_at(r, offset)->length);
}

static void drop_oldest(struct log_ring *r)
{
    r->tail = next_record(r, r->tail);
    r->dropped++;
    if (--r->count)
        r->tail = wrapped(r, r->tail);
}

/* Frees `size` contiguous bytes at head, dropping the oldest records as needed. */
static void make_room(struct log_ring *r, uint32_t size)
{
    for (;;) {
        if (r->count == 0) {
            r->head = r->tail = 0;
            return;
        }
        if (r->head > r->tail) { /* records in [tail, head) */
            if (r->size - r->head >= size)
                return;
            if (r->size - r->head >= sizeof(uint64_t))
                record_at(r, r->head)->sequence = 0; /* the wrap mark */
            r->head = 0;
        }
        if (r->tail - r->head >= size) /* records in [tail, end) and [0, head) */
            return;
        drop_oldest(r);
    }
}

static void ring_put(struct log_ring *r, uint32_t level, uint64_t time, const char *text,
                     uint32_t length)
{
    uint32_t size = MINWDM_LOG_RECORD_SIZE(length);
    struct minwdm_log_record *record;

    make_room(r, size);
    record = record_at(r, r->head);
    record->sequence = r->next_sequence++;
    record->time = time;
    record->level = level;
    record->length = length;
    memcpy(record + 1, text, length);
    memset((uint8_t *)(record + 1) + length, 0, size - sizeof(*record) - length);
    r->head += size;
    r->count++;
}

void log_init(struct logger *logger, const char *name, const struct log_platform *platform,
              void *storage, uint32_t size, uint64_t instance)
{
    memset(logger, 0, sizeof(*logger));
    logger->name = name;
    logger->level = MINWDM_LOG_INFO;
    logger->instance = instance;
    logger->platform = *platform;
    logger->platform.lock.init(&logger->lock);
    logger->ring.storage = storage;
    logger->ring.size = size & ~7u;
    logger->ring.next_sequence = 1;
}

void log_vmessage(struct logger *logger, uint32_t level, const char *function, const char *format,
                  va_list arguments)
{
    const struct log_platform *p = &logger->platform;
    uint64_t now = p->now ? p->now() : 0;
    struct line line;

    if (level >= MINWDM_LOG_LEVEL_COUNT)
        level = MINWDM_LOG_TRACE;
    line.length = 0;
    append_text(&line, logger->name);
    append_text(&line, ": ");
    append_text(&line, log_level_names[level]);
    if (logger->details) { /* " [cpu 1 irql 2 +3.000004]" */
        static const char opening[] = " [";
        const char *separator = opening;
        if (logger->details & LOG_DETAIL_CPU && p->cpu) {
            append(&line, "%scpu %u", separator, p->cpu());
            separator = " ";
        }
        if (logger->details & LOG_DETAIL_IRQL && p->irql) {
            append(&line, "%sirql %u", separator, p->irql());
            separator = " ";
        }
        if (logger->details & LOG_DETAIL_TIME) {
            append(&line, "%s+%llu.%06llu", separator, (unsigned long long)(now / 10000000),
                   (unsigned long long)(now / 10 % 1000000));
            separator = " ";
        }
        if (separator != opening)
            append(&line, "]");
    }
    append_text(&line, ": ");
    append_text(&line, function);
    append_text(&line, ": ");
    size_t message = line.length;
    vappend(&line, format, arguments);
    /* No control character reaches a reader: a message cannot forge another line. */
    for (size_t i = message; i < line.length && i < MINWDM_LOG_LINE_MAX; i++)
        if ((unsigned char)line.text[i] < 0x20 || line.text[i] == 0x7F)
            line.text[i] = '?';
    if (line.length > MINWDM_LOG_LINE_MAX) {
        static const char marker[] = MINWDM_LOG_CUT_MARKER;
        size_t end = MINWDM_LOG_LINE_MAX - (sizeof(marker) - 1);
        /* Whole UTF-8 characters only: back off to the start of one cut in two. */
        while (end > message && ((unsigned char)line.text[end] & 0xC0) == 0x80)
            end--;
        memcpy(line.text + end, marker, sizeof(marker));
        line.length = end + sizeof(marker) - 1;
    }
    if (logger->ring.storage) {
        uintptr_t token = p->lock.acquire(&logger->lock);
        ring_put(&logger->ring, level, now, line.text, (uint32_t)line.length);
        p->lock.release(&logger->lock, token);
    }
    if (p->sink)
        p->sink(level, line.text);
}

void log_message(struct logger *logger, uint32_t level, const char *function, const char *format,
                 ...)
{
    va_list arguments;

    va_start(arguments, format);
    log_vmessage(logger, level, function, format, arguments);
    va_end(arguments);
}

int log_set_level(struct logger *logger, uint32_t level)
{
    if (level >= MINWDM_LOG_LEVEL_COUNT)
        return 0;
    __atomic_store_n(&logger->level, level, __ATOMIC_RELAXED);
    return 1;
}

uint32_t log_read(struct logger *logger, uint64_t after, void *output, uint32_t size)
{
    struct minwdm_log_batch batch;
    const struct log_ring *r = &logger->ring;

    if (size < MINWDM_LOG_READ_MIN)
        return 0;
    uint8_t *out = (uint8_t *)output + sizeof(batch);
    uint32_t room = size - (uint32_t)sizeof(batch);
    memset(&batch, 0, sizeof(batch));
    uintptr_t token = logger->platform.lock.acquire(&logger->lock);
    batch.first_sequence = r->next_sequence - r->count;
    batch.next_sequence = r->next_sequence;
    batch.dropped = r->dropped;
    uint32_t offset = r->tail;
    for (uint32_t i = 0; i < r->count; i++) {
        const struct minwdm_log_record *record = record_at(r, offset);
        uint32_t record_size = MINWDM_LOG_RECORD_SIZE(record->length);
        if (record->sequence > after) {
            if (record_size > room)
                break;
            memcpy(out, record, record_size);
            out += record_size;
            room -= record_size;
            batch.count++;
            batch.bytes += record_size;
        }
        offset = wrapped(r, offset + record_size);
    }
    logger->platform.lock.release(&logger->lock, token);
    batch.instance = logger->instance;
    batch.level = __atomic_load_n(&logger->level, __ATOMIC_RELAXED);
    batch.floor = MINWDM_LOG_FLOOR;
    memcpy(output, &batch, sizeof(batch));
    return (uint32_t)sizeof(batch) + batch.bytes;
}
