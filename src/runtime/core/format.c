#include <minwdm/format.h>

#include <string.h>

#include <minwdm/kstring.h>

#include "utf.h"

/* Where the output goes: [at, end) is the room left, end is the NUL's place. */
struct output {
    char *at;
    char *end;
    size_t length; /* the whole output's length, cut or not */
};

/* Where the arguments come from: a va_list or arrays. */
struct source {
    va_list *list;
    const struct format_arguments *array;
    size_t next_integer, next_string, next_wide, next_counted, next_ansi;
};

enum { FLAG_LEFT = 1, FLAG_PLUS = 2, FLAG_SPACE = 4, FLAG_ALTERNATE = 8, FLAG_ZERO = 16 };

/* Integer argument sizes; each is read from a va_list as its own C type. */
enum size_kind { SIZE_CHAR, SIZE_SHORT, SIZE_INT, SIZE_LONG, SIZE_LONG_LONG, SIZE_SIZE_T,
                 SIZE_POINTER, SIZE_WIDE /* 'w': Microsoft's wide modifier, for s, c and Z */ };

/* What a directive prints, once its letters are read. */
enum text_kind {
    TEXT_NONE,         /* an integer, %p or %% */
    TEXT_STRING,       /* %s: char * */
    TEXT_CHAR,         /* %c */
    TEXT_WIDE_STRING,  /* %ws %ls %S: NUL-terminated UTF-16 */
    TEXT_WIDE_CHAR,    /* %wc %lc %C: one UTF-16 unit */
    TEXT_COUNTED,      /* %wZ: UNICODE_STRING * */
    TEXT_ANSI_COUNTED, /* %Z: ANSI_STRING * */
};

struct directive {
    unsigned flags;
    size_t width;
    int precision; /* -1: none */
    enum size_kind size;
    char conversion;
    enum text_kind text;
    int width_star, precision_star; /* taken from the arguments */
};

static void put_run(struct output *o, char c, size_t count)
{
    size_t room = (size_t)(o->end - o->at);
    size_t n = count < room ? count : room;

    if (n) {
        memset(o->at, c, n);
        o->at += n;
    }
    o->length += count;
}

static void put(struct output *o, const char *text, size_t length)
{
    size_t room = (size_t)(o->end - o->at);
    size_t n = length < room ? length : room;

    if (n) {
        memcpy(o->at, text, n);
        o->at += n;
    }
    o->length += length;
}

static uint64_t next_integer(struct source *s, enum size_kind size)
{
    if (s->list) {
        /* Some of these types are the same on one ABI (long long and size_t on Windows), none
         * on all: each is read as its own type. */
        switch (size) {
        case SIZE_LONG:
            return va_arg(*s->list, unsigned long);
        case SIZE_LONG_LONG: // NOLINT(bugprone-branch-clone): see above
            return va_arg(*s->list, unsigned long long);
        case SIZE_SIZE_T:
            return va_arg(*s->list, size_t);
        case SIZE_POINTER:
            return (uintptr_t)va_arg(*s->list, void *);
        default: /* char and short arrive promoted to int */
            return va_arg(*s->list, unsigned int);
        }
    }
    if (s->next_integer < s->array->integer_count)
        return s->array->integers[s->next_integer++];
    return 0;
}

static const char *next_string(struct source *s)
{
    if (s->list)
        return va_arg(*s->list, const char *);
    if (s->next_string < s->array->string_count)
        return s->array->strings[s->next_string++];
    return NULL;
}

static const uint16_t *next_wide(struct source *s)
{
    if (s->list)
        return va_arg(*s->list, const uint16_t *);
    if (s->next_wide < s->array->wide_string_count)
        return s->array->wide_strings[s->next_wide++];
    return NULL;
}

static const struct kstring *next_counted(struct source *s)
{
    if (s->list)
        return va_arg(*s->list, const struct kstring *);
    if (s->next_counted < s->array->counted_count)
        return s->array->counted[s->next_counted++];
    return NULL;
}

static const struct kstring_ansi *next_ansi(struct source *s)
{
    if (s->list)
        return va_arg(*s->list, const struct kstring_ansi *);
    if (s->next_ansi < s->array->ansi_count)
        return s->array->ansi[s->next_ansi++];
    return NULL;
}

/* Cuts value to the argument's size; sign-extends it for a signed conversion. */
static uint64_t fit(uint64_t value, enum size_kind size, int is_signed)
{
    static const uint8_t bytes[] = {
        [SIZE_CHAR] = 1, [SIZE_SHORT] = 2, [SIZE_INT] = sizeof(int),
        [SIZE_LONG] = sizeof(long), [SIZE_LONG_LONG] = 8, [SIZE_SIZE_T] = sizeof(size_t),
        [SIZE_POINTER] = sizeof(void *), [SIZE_WIDE] = 2};
    unsigned shift = 64u - 8u * bytes[size];

    value = value << shift;
    return is_signed ? (uint64_t)((int64_t)value >> shift) : value >> shift;
}

static void put_field(struct output *o, const struct directive *d, const char *text,
                      size_t length)
{
    size_t pad = d->width > length ? d->width - length : 0;

    if (!(d->flags & FLAG_LEFT))
        put_run(o, ' ', pad);
    put(o, text, length);
    if (d->flags & FLAG_LEFT)
        put_run(o, ' ', pad);
}

static void put_integer(struct output *o, const struct directive *d, uint64_t value)
{
    char digits[24], prefix[2];
    size_t count = 0, prefix_length = 0, zeros = 0;
    char *first = digits + sizeof(digits); /* digits are written backwards, from the end */
    int is_signed = d->conversion == 'd' || d->conversion == 'i';
    int hex = d->conversion == 'x' || d->conversion == 'X' || d->conversion == 'p';
    const char *alphabet = d->conversion == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
    int precision = d->precision;

    if (is_signed && (int64_t)value < 0) {
        prefix[prefix_length++] = '-';
        value = -value;
    } else if (is_signed && d->flags & (FLAG_PLUS | FLAG_SPACE)) {
        prefix[prefix_length++] = d->flags & FLAG_PLUS ? '+' : ' ';
    } else if (hex && d->conversion != 'p' && d->flags & FLAG_ALTERNATE && value) {
        prefix[prefix_length++] = '0';
        prefix[prefix_length++] = d->conversion;
    }
    if (d->conversion == 'p' && precision < 0)
        precision = 2 * (int)sizeof(void *); /* as DbgPrint: every digit of the address */
    /* Constant divisors: a shift, or a multiplication, instead of a division per digit. */
    if (hex)
        for (; value; value >>= 4, count++)
            *--first = alphabet[value & 15];
    else
        for (; value; value /= 10, count++)
            *--first = (char)('0' + value % 10);
    if ((size_t)(precision < 0 ? 1 : precision) > count)
        zeros = (size_t)(precision < 0 ? 1 : precision) - count;
    size_t length = prefix_length + zeros + count;
    if ((d->flags & (FLAG_ZERO | FLAG_LEFT)) == FLAG_ZERO && precision < 0 && d->width > length) {
        zeros += d->width - length;
        length = d->width;
    }
    size_t pad = d->width > length ? d->width - length : 0;
    if (!(d->flags & FLAG_LEFT))
        put_run(o, ' ', pad);
    put(o, prefix, prefix_length);
    put_run(o, '0', zeros);
    put(o, first, count);
    if (d->flags & FLAG_LEFT)
        put_run(o, ' ', pad);
}

static void put_string(struct output *o, const struct directive *d, const char *s)
{
    size_t limit = d->precision < 0 ? SIZE_MAX : (size_t)d->precision;
    size_t length = 0;

    if (!s)
        s = limit >= 6 ? "(null)" : "";
    while (length < limit && s[length])
        length++;
    put_field(o, d, s, length);
}

/* A string of bytes bounded by a count (%Z): copied as they are. */
static void put_counted_bytes(struct output *o, const struct directive *d, const char *s,
                              size_t count)
{
    size_t limit = d->precision < 0 ? SIZE_MAX : (size_t)d->precision;

    put_field(o, d, s, count < limit ? count : limit);
}

/*
 * UTF-16 as UTF-8: `count` units, or up to a NUL when nul_ended. At most `limit` bytes come out
 * and only whole characters, as C's %ls does; no unit is read that could not be printed, so a
 * precision also bounds the units read. Returns the bytes; writes them when o is not NULL.
 */
static size_t put_utf16(struct output *o, const uint16_t *units, size_t count, int nul_ended,
                        size_t limit)
{
    size_t at = 0, bytes = 0;
    int bad = 0;

    while (bytes < limit && at < count && !(nul_ended && units[at] == 0)) {
        char encoded[4];
        /* A high surrogate prints as a pair (4 bytes) or as U+FFFD (3): with less room, the
         * unit after it is not read. */
        if (utf16_is_high(units[at]) && limit - bytes < 3)
            break;
        size_t before = at;
        uint32_t c = utf16_next(units, count, &at, &bad);
        size_t length = utf8_encode(c, encoded);
        if (length > limit - bytes) {
            at = before;
            break;
        }
        if (o)
            put(o, encoded, length);
        bytes += length;
    }
    return bytes;
}

static void put_wide_field(struct output *o, const struct directive *d, const uint16_t *units,
                           size_t count, int nul_ended)
{
    size_t limit = d->precision < 0 ? SIZE_MAX : (size_t)d->precision;
    size_t length = put_utf16(NULL, units, count, nul_ended, limit);
    size_t pad = d->width > length ? d->width - length : 0;

    if (!(d->flags & FLAG_LEFT))
        put_run(o, ' ', pad);
    put_utf16(o, units, count, nul_ended, limit);
    if (d->flags & FLAG_LEFT)
        put_run(o, ' ', pad);
}

/* NULL pointers and buffers print as C's %s prints NULL. */
static void put_null(struct output *o, const struct directive *d)
{
    put_string(o, d, NULL);
}

static void put_text(struct output *o, const struct directive *d, struct source *s)
{
    switch (d->text) {
    case TEXT_STRING:
        put_string(o, d, next_string(s));
        break;
    case TEXT_CHAR: {
        char c = (char)next_integer(s, SIZE_INT);
        put_field(o, d, &c, 1);
        break;
    }
    case TEXT_WIDE_STRING: {
        const uint16_t *w = next_wide(s);
        if (w)
            put_wide_field(o, d, w, SIZE_MAX, 1);
        else
            put_null(o, d);
        break;
    }
    case TEXT_WIDE_CHAR: {
        uint16_t unit = (uint16_t)next_integer(s, SIZE_INT);
        put_wide_field(o, d, &unit, 1, 0); /* a lone surrogate prints as U+FFFD */
        break;
    }
    case TEXT_COUNTED: {
        const struct kstring *k = next_counted(s);
        if (k && k->buffer) {
            size_t bytes = k->length < k->maximum_length ? k->length : k->maximum_length;
            put_wide_field(o, d, k->buffer, bytes / sizeof(uint16_t), 0);
        } else {
            put_null(o, d);
        }
        break;
    }
    case TEXT_ANSI_COUNTED: {
        const struct kstring_ansi *a = next_ansi(s);
        if (a && a->buffer)
            put_counted_bytes(o, d, a->buffer,
                              a->length < a->maximum_length ? a->length : a->maximum_length);
        else
            put_null(o, d);
        break;
    }
    default:
        break;
    }
}

/* A number in a directive; saturates rather than overflows. */
static size_t read_number(const char **p)
{
    size_t n = 0;

    for (; **p >= '0' && **p <= '9'; (*p)++)
        n = n < 100000000 ? n * 10 + (size_t)(**p - '0') : n;
    return n;
}

/* The letters of a directive after its '%': flags, width, precision, length, conversion. No
 * argument is taken here. Returns 0 when this formatter does not know the directive. */
static int read_directive(const char **p, struct directive *d)
{
    d->flags = 0;
    for (;; (*p)++) {
        switch (**p) {
        case '-':
            d->flags |= FLAG_LEFT;
            continue;
        case '+':
            d->flags |= FLAG_PLUS;
            continue;
        case ' ':
            d->flags |= FLAG_SPACE;
            continue;
        case '#':
            d->flags |= FLAG_ALTERNATE;
            continue;
        case '0':
            d->flags |= FLAG_ZERO;
            continue;
        }
        break;
    }
    d->width_star = **p == '*';
    if (d->width_star)
        (*p)++;
    d->width = d->width_star ? 0 : read_number(p);
    d->precision = -1;
    d->precision_star = 0;
    if (**p == '.') {
        (*p)++;
        d->precision_star = **p == '*';
        if (d->precision_star)
            (*p)++;
        else
            d->precision = (int)read_number(p);
    }
    d->size = SIZE_INT;
    if (**p == 'h') {
        d->size = (*p)[1] == 'h' ? SIZE_CHAR : SIZE_SHORT;
        *p += 1 + (d->size == SIZE_CHAR);
    } else if (**p == 'l') {
        d->size = (*p)[1] == 'l' ? SIZE_LONG_LONG : SIZE_LONG;
        *p += 1 + (d->size == SIZE_LONG_LONG);
    } else if (**p == 'z') {
        d->size = SIZE_SIZE_T;
        (*p)++;
    } else if (**p == 'w') {
        d->size = SIZE_WIDE;
        (*p)++;
    }
    d->conversion = **p;
    if (**p)
        (*p)++;
    d->text = TEXT_NONE;
    switch (d->conversion) {
    case 'd':
    case 'i':
    case 'u':
    case 'x':
    case 'X':
        return d->size != SIZE_WIDE;
    case 'p':
    case '%':
        return d->size == SIZE_INT;
    case 's':
        /* %ls and %ws are wide; %hs, %lls, %zs are not C's nor Microsoft's. */
        d->text = d->size == SIZE_INT ? TEXT_STRING : TEXT_WIDE_STRING;
        return d->size == SIZE_INT || d->size == SIZE_LONG || d->size == SIZE_WIDE;
    case 'c':
        d->text = d->size == SIZE_INT ? TEXT_CHAR : TEXT_WIDE_CHAR;
        return d->size == SIZE_INT || d->size == SIZE_LONG || d->size == SIZE_WIDE;
    case 'S':
        d->text = TEXT_WIDE_STRING;
        return d->size == SIZE_INT;
    case 'C':
        d->text = TEXT_WIDE_CHAR;
        return d->size == SIZE_INT;
    case 'Z':
        d->text = d->size == SIZE_WIDE ? TEXT_COUNTED : TEXT_ANSI_COUNTED;
        return d->size == SIZE_INT || d->size == SIZE_WIDE;
    default:
        return 0;
    }
}

/* The values of * in a directive, taken in order, as C does. */
static void take_stars(struct source *s, struct directive *d)
{
    if (d->width_star) {
        int width = (int)fit(next_integer(s, SIZE_INT), SIZE_INT, 1);
        if (width < 0)
            d->flags |= FLAG_LEFT;
        d->width = width < 0 ? 0u - (size_t)width : (size_t)width;
    }
    if (d->precision_star) {
        int precision = (int)fit(next_integer(s, SIZE_INT), SIZE_INT, 1);
        d->precision = precision < 0 ? -1 : precision;
    }
}

/* A directive this formatter does not know ends the output: an argument it skipped or took would
 * shift every later one. The marker shows the directive (its first 16 bytes). */
static void put_bad_directive(struct output *o, const char *start, const char *end)
{
    size_t length = (size_t)(end - start);

    put(o, "[bad format ", 12);
    put(o, start, length < 16 ? length : 16);
    put(o, "]", 1);
}

static int format(char *buffer, size_t size, const char *format, struct source *s)
{
    struct output o = {NULL, NULL, 0};
    struct directive d;
    const char *p = format;

    if (size) {
        o.at = buffer;
        o.end = buffer + size - 1;
    }
    while (*p) {
        const char *start = p;
        if (*p != '%') {
            while (*p && *p != '%')
                p++;
            put(&o, start, (size_t)(p - start));
            continue;
        }
        p++;
        if (!read_directive(&p, &d)) {
            put_bad_directive(&o, start, p);
            break;
        }
        take_stars(s, &d);
        if (d.conversion == '%')
            put(&o, "%", 1);
        else if (d.text != TEXT_NONE)
            put_text(&o, &d, s);
        else if (d.conversion == 'p')
            put_integer(&o, &d, next_integer(s, SIZE_POINTER));
        else
            put_integer(&o, &d, fit(next_integer(s, d.size), d.size,
                                    d.conversion == 'd' || d.conversion == 'i'));
    }
    if (size)
        *o.at = '\0';
    return o.length > INT32_MAX ? INT32_MAX : (int)o.length;
}

int format_vstring(char *buffer, size_t size, const char *format_text, va_list arguments)
{
    struct source s = {NULL, NULL, 0, 0, 0, 0, 0};
    va_list copy;
    int length;

    va_copy(copy, arguments);
    s.list = &copy;
    length = format(buffer, size, format_text, &s);
    va_end(copy);
    return length;
}

int format_string(char *buffer, size_t size, const char *format_text, ...)
{
    va_list arguments;
    int length;

    va_start(arguments, format_text);
    length = format_vstring(buffer, size, format_text, arguments);
    va_end(arguments);
    return length;
}

int format_array(char *buffer, size_t size, const char *format_text,
                 const struct format_arguments *arguments)
{
    struct source s = {NULL, arguments, 0, 0, 0, 0, 0};

    return format(buffer, size, format_text, &s);
}
