/*
 * The logger on the host: the line format and its optional parts, levels, the 510-byte cut with
 * its marker, control characters, a message's text never taken as a format, the ring's
 * wrap-around and dropped count, reading after a sequence number with small and large buffers,
 * and concurrent writers and a reader (every record whole, each writer's records in order).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include <minwdm/log.h>
#include "core/log_bench.h"
#include "host_lock.h"

static char sunk[MINWDM_LOG_LINE_MAX + 2];
static uint32_t sunk_level, sunk_count;
static uint64_t fake_now;

static uint64_t now(void)
{
    return fake_now;
}

static uint32_t cpu(void)
{
    return 1;
}

static uint32_t irql(void)
{
    return 2;
}

static void sink(uint32_t level, const char *line)
{
    sunk_level = level;
    sunk_count++;
    strncpy(sunk, line, sizeof(sunk) - 1);
}

static const struct log_platform platform = {{0}, now, cpu, irql, sink};

static void start(struct logger *l, void *storage, uint32_t size)
{
    struct log_platform p = platform;

    p.lock = host_lock_ops;
    log_init(l, "minwdm", &p, storage, size, 77);
}

/* Reads everything after `after` into out (a batch and its records). */
static uint32_t read_all(struct logger *l, uint64_t after, uint8_t *out, uint32_t size,
                         struct minwdm_log_batch *batch)
{
    uint32_t n = log_read(l, after, out, size);

    memset(batch, 0, sizeof(*batch));
    if (n >= sizeof(*batch))
        memcpy(batch, out, sizeof(*batch));
    return n;
}

/* The i-th record of a batch (i < count); NULL past the end. */
static const struct minwdm_log_record *record(const uint8_t *out, const struct minwdm_log_batch *b,
                                              uint32_t i, const char **text)
{
    const uint8_t *p = out + sizeof(*b);
    for (uint32_t k = 0; k < b->count; k++) {
        const struct minwdm_log_record *r = (const void *)p;
        if (k == i) {
            *text = (const char *)(r + 1);
            return r;
        }
        p += MINWDM_LOG_RECORD_SIZE(r->length);
    }
    return NULL;
}

static int record_is(const uint8_t *out, const struct minwdm_log_batch *b, uint32_t i,
                     const char *expected)
{
    const char *text;
    const struct minwdm_log_record *r = record(out, b, i, &text);
    return r && r->length == strlen(expected) && memcmp(text, expected, r->length) == 0;
}

static void lines(void)
{
    static uint64_t storage[1024];
    static uint8_t out[8192];
    struct logger l;
    struct minwdm_log_batch b;

    start(&l, storage, sizeof(storage));
    fake_now = 12345678;
    log_message(&l, MINWDM_LOG_INFO, "echo", "%u bytes: \"%s\"", 6u, "%s%n%x");
    CHECK_EQ(strcmp(sunk, "minwdm: info: echo: 6 bytes: \"%s%n%x\""), 0);
    CHECK_EQ(sunk_level, MINWDM_LOG_INFO);
    read_all(&l, 0, out, sizeof(out), &b);
    CHECK(b.count == 1 && b.first_sequence == 1 && b.next_sequence == 2 && b.instance == 77);
    CHECK(record_is(out, &b, 0, "minwdm: info: echo: 6 bytes: \"%s%n%x\""));
    const char *text;
    const struct minwdm_log_record *r = record(out, &b, 0, &text);
    CHECK(r && r->sequence == 1 && r->time == 12345678 && r->level == MINWDM_LOG_INFO);
    /* the padding after the text is zero: no stale byte leaves the driver */
    for (uint32_t i = r->length; r && i < MINWDM_LOG_RECORD_SIZE(r->length) - sizeof(*r); i++)
        CHECK_EQ(text[i], 0);

    l.details = LOG_DETAIL_CPU | LOG_DETAIL_IRQL | LOG_DETAIL_TIME;
    log_message(&l, MINWDM_LOG_ERROR, "DriverEntry", "failed: %s", "STATUS_X");
    CHECK(strcmp(sunk, "minwdm: error [cpu 1 irql 2 +1.234567]: DriverEntry: failed: STATUS_X") ==
          0);
    l.details = LOG_DETAIL_TIME;
    log_message(&l, MINWDM_LOG_WARN, "f", "x");
    CHECK_EQ(strcmp(sunk, "minwdm: warn [+1.234567]: f: x"), 0);
    l.details = 0;

    /* No control character survives: a message cannot make a second line. */
    log_message(&l, MINWDM_LOG_INFO, "f", "%s", "a\nminwdm: error: forged\r\t\x7f");
    CHECK_EQ(strcmp(sunk, "minwdm: info: f: a?minwdm: error: forged???"), 0);

    /* Too long: cut at 510 bytes, ending with the marker, in the sink and in the ring. */
    char long_text[2000];
    memset(long_text, 'y', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    log_message(&l, MINWDM_LOG_INFO, "f", "%s", long_text);
    CHECK_EQ(strlen(sunk), MINWDM_LOG_LINE_MAX);
    CHECK(strcmp(sunk + MINWDM_LOG_LINE_MAX - strlen(MINWDM_LOG_CUT_MARKER),
                 MINWDM_LOG_CUT_MARKER) == 0);
    read_all(&l, 4, out, sizeof(out), &b);
    CHECK(b.count == 1 && record(out, &b, 0, &text) &&
          record(out, &b, 0, &text)->length == MINWDM_LOG_LINE_MAX &&
          memcmp(text, sunk, MINWDM_LOG_LINE_MAX) == 0);

    /* A cut never splits a UTF-8 character: "minwdm: info: f: " is 17 bytes, so 2-byte
     * characters would straddle byte 504, where the marker goes; the line is one byte shorter. */
    char wide_text[1200] = "";
    for (size_t i = 0; i + 2 < sizeof(wide_text); i += 2) { /* é */
        wide_text[i] = (char)0xC3;
        wide_text[i + 1] = (char)0xA9;
    }
    log_message(&l, MINWDM_LOG_INFO, "f", "%s", wide_text);
    size_t marker_at = strlen(sunk) - strlen(MINWDM_LOG_CUT_MARKER);
    CHECK_EQ(strlen(sunk), MINWDM_LOG_LINE_MAX - 1);
    CHECK_EQ(strcmp(sunk + marker_at, MINWDM_LOG_CUT_MARKER), 0);
    CHECK_EQ((unsigned char)sunk[marker_at - 2], 0xC3); /* the last character is whole */
    CHECK_EQ((unsigned char)sunk[marker_at - 1], 0xA9);

    /* The benchmarks' typical record is about 60 characters. */
    log_bench_record(&l, 42);
    CHECK_EQ(strcmp(sunk, "minwdm: info: bench: handle 42 read 4096 bytes: STATUS_SUCCESS"), 0);
}

static void levels(void)
{
    static uint64_t storage[512];
    struct logger l;

    start(&l, storage, sizeof(storage));
    sunk_count = 0;
    CHECK_EQ(l.level, MINWDM_LOG_INFO);
    log_at(&l, MINWDM_LOG_DEBUG, "hidden %d", 1);
    log_at(&l, MINWDM_LOG_INFO, "shown %d", 2);
    CHECK(sunk_count == 1 && strcmp(sunk, "minwdm: info: levels: shown 2") == 0);
    CHECK(log_set_level(&l, MINWDM_LOG_TRACE));
    log_at(&l, MINWDM_LOG_TRACE, "now shown");
    CHECK(sunk_count == 2 && sunk_level == MINWDM_LOG_TRACE);
    CHECK(!log_set_level(&l, MINWDM_LOG_LEVEL_COUNT) && l.level == MINWDM_LOG_TRACE);
    CHECK(log_set_level(&l, MINWDM_LOG_ERROR));
    log_at(&l, MINWDM_LOG_WARN, "hidden");
    log_at(&l, MINWDM_LOG_ERROR, "shown");
    CHECK(sunk_count == 3 && sunk_level == MINWDM_LOG_ERROR);
    struct logger *none = NULL;
    log_at(none, MINWDM_LOG_ERROR, "no logger, no call");
    CHECK_EQ(sunk_count, 3);
    CHECK_EQ(strcmp(log_level_names[MINWDM_LOG_WARN], "warn"), 0);
}

/* Each record's text tells its number, so any damage shows. */
static void expect_sequence_texts(const uint8_t *out, const struct minwdm_log_batch *b)
{
    const uint8_t *p = out + sizeof(*b);
    uint64_t expected = 0;
    uint32_t bytes = 0;

    for (uint32_t i = 0; i < b->count; i++) {
        const struct minwdm_log_record *r = (const void *)p;
        char want[MINWDM_LOG_LINE_MAX + 1];
        int n = snprintf(want, sizeof(want), "t: info: f: record %llu %.*s",
                         (unsigned long long)r->sequence, (int)(r->sequence % 97),
                         "................................................................"
                         "....................................");
        CHECK(expected == 0 || r->sequence == expected);
        CHECK(r->length == (uint32_t)n && memcmp(r + 1, want, (size_t)n) == 0);
        expected = r->sequence + 1;
        bytes += MINWDM_LOG_RECORD_SIZE(r->length);
        p += MINWDM_LOG_RECORD_SIZE(r->length);
    }
    CHECK(bytes == b->bytes);
}

static void wrap_around(void)
{
    static uint64_t storage[512]; /* 4 KiB: about 40 records */
    static uint8_t out[8192], small[MINWDM_LOG_READ_MIN];
    struct logger l;
    struct log_platform p = {{0}, now, NULL, NULL, NULL};
    struct minwdm_log_batch b;

    p.lock = host_lock_ops;
    log_init(&l, "t", &p, storage, sizeof(storage), 1);
    for (uint64_t i = 1; i <= 1000; i++) {
        log_message(&l, MINWDM_LOG_INFO, "f", "record %llu %.*s", (unsigned long long)i,
                    (int)(i % 97),
                    "................................................................"
                    "....................................");
        read_all(&l, 0, out, sizeof(out), &b);
        /* always the newest records, contiguous, ending with this one */
        CHECK(b.next_sequence == i + 1 && b.count > 0 && b.first_sequence + b.count == i + 1);
        CHECK_EQ(b.dropped, i - b.count);
        expect_sequence_texts(out, &b);
    }
    CHECK(b.count >= 20 && b.dropped >= 900);

    /* After a sequence number: only newer ones. */
    uint64_t middle = b.first_sequence + 5;
    read_all(&l, middle, out, sizeof(out), &b);
    CHECK(b.count == 1000 - middle && record(out, &b, 0, &(const char *){NULL}) &&
          ((const struct minwdm_log_record *)(out + sizeof(b)))->sequence == middle + 1);
    read_all(&l, 1000, out, sizeof(out), &b);
    CHECK(b.count == 0 && b.bytes == 0);

    /* The smallest buffer allowed still makes progress, one whole record at a time at least. */
    uint64_t after = 0, seen = 0;
    for (int rounds = 0; rounds < 100; rounds++) {
        uint32_t n = read_all(&l, after, small, sizeof(small), &b);
        CHECK(n == sizeof(b) + b.bytes && n <= sizeof(small));
        if (b.count == 0)
            break;
        expect_sequence_texts(small, &b);
        const uint8_t *q = small + sizeof(b);
        for (uint32_t i = 0; i < b.count; i++) {
            const struct minwdm_log_record *r = (const void *)q;
            after = r->sequence;
            q += MINWDM_LOG_RECORD_SIZE(r->length);
        }
        seen += b.count;
    }
    CHECK(after == 1000 && seen == 1000 - (b.first_sequence - 1));
    CHECK_EQ(log_read(&l, 0, small, sizeof(small) - 1), 0);
}

#define WRITERS 4
#define RECORDS_EACH 20000

static struct logger shared;
static volatile int writers_done;

static void *writer(void *arg)
{
    unsigned id = (unsigned)(uintptr_t)arg;

    for (unsigned i = 0; i < RECORDS_EACH; i++)
        log_message(&shared, MINWDM_LOG_INFO, "w", "writer %u record %u", id, i);
    return NULL;
}

/* Checks that every record read is whole and each writer's records come in order; returns the
 * last sequence number read (after, when none). */
static uint64_t check_batch(const uint8_t *out, const struct minwdm_log_batch *b,
                            long last[WRITERS], uint64_t after)
{
    const uint8_t *p = out + sizeof(*b);

    for (uint32_t i = 0; i < b->count; i++) {
        const struct minwdm_log_record *r = (const void *)p;
        static const char start[] = "c: info: w: writer ";
        char text[MINWDM_LOG_LINE_MAX + 1], *end;
        memcpy(text, r + 1, r->length);
        text[r->length] = '\0';
        unsigned long id = strtoul(text + sizeof(start) - 1, &end, 10);
        unsigned long n = strncmp(end, " record ", 8) == 0 ? strtoul(end + 8, &end, 10) : 0;
        int parsed = strncmp(text, start, sizeof(start) - 1) == 0 && id < WRITERS && !*end;
        CHECK(parsed);
        if (parsed) {
            CHECK((long)n > last[id]);
            last[id] = (long)n;
        }
        CHECK(r->sequence > after);
        after = r->sequence;
        p += MINWDM_LOG_RECORD_SIZE(r->length);
    }
    return after;
}

static void concurrent_writers(void)
{
    static uint64_t storage[2048];
    static uint8_t out[32768];
    struct log_platform p = {{0}, now, NULL, NULL, NULL};
    pthread_t threads[WRITERS];
    struct minwdm_log_batch b;
    long last[WRITERS];
    uint64_t after = 0;

    p.lock = host_lock_ops;
    log_init(&shared, "c", &p, storage, sizeof(storage), 2);
    for (int i = 0; i < WRITERS; i++) {
        last[i] = -1;
        pthread_create(&threads[i], NULL, writer, (void *)(uintptr_t)i);
    }
    /* A reader follows along as minwdmctl log --follow would. */
    for (int rounds = 0; rounds < 2000; rounds++) {
        read_all(&shared, after, out, sizeof(out), &b);
        after = check_batch(out, &b, last, after);
    }
    for (int i = 0; i < WRITERS; i++)
        pthread_join(threads[i], NULL);
    read_all(&shared, 0, out, sizeof(out), &b);
    for (int i = 0; i < WRITERS; i++)
        last[i] = -1;
    const uint64_t total = (uint64_t)WRITERS * RECORDS_EACH;
    CHECK_EQ(check_batch(out, &b, last, 0), total);
    CHECK_EQ(b.next_sequence, total + 1);
    CHECK_EQ(b.dropped + b.count, total);
    CHECK_EQ(b.first_sequence + b.count, b.next_sequence);
}

int main(void)
{
    lines();
    levels();
    wrap_around();
    concurrent_writers();
    return check_done("test_log");
}
