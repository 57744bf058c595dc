/*
 * WPP trace messages at run time (<minwdm/wpp.h>): the format string is WPP's, with its %!...!
 * types, and is turned into text here, one argument at a time, into a buffer the size of one
 * DbgPrint message (512 bytes; longer messages are cut), then printed with DbgPrintEx:
 * "<control>: <message>". Levels: critical and error print at DPFLTR_ERROR_LEVEL, warning at
 * WARNING, the others at INFO (DebugView's "verbose kernel output" shows those).
 */
#include <ntddk.h>
#include <ntstrsafe.h>
#include <stdarg.h>

#include <minwdm/ntstatus_names.h>

#define MESSAGE_SIZE 512

struct out {
    char text[MESSAGE_SIZE];
    size_t used;
};

static void put(struct out *o, const char *format, ...)
{
    size_t room = sizeof(o->text) - o->used;
    va_list args;

    if (room <= 1)
        return;
    va_start(args, format);
    RtlStringCbVPrintfA(o->text + o->used, room, format, args); /* truncates on overflow */
    va_end(args);
    o->used += strnlen(o->text + o->used, room);
}

/* WPP's %!name! types this kit formats; returns 0 for one it does not know. */
static int put_wpp_type(struct out *o, const char *name, size_t length, va_list *args,
                        const char *file, int line, const char *function)
{
#define IS(text) (length == sizeof(text) - 1 && !strncmp(name, text, length))
    if (IS("FUNC")) {
        put(o, "%s", function);
    } else if (IS("LINE")) {
        put(o, "%d", line);
    } else if (IS("FILE")) {
        put(o, "%s", file);
    } else if (IS("STATUS")) {
        NTSTATUS status = va_arg(*args, NTSTATUS);
        const char *known = minwdm_ntstatus_name(status);

        if (known)
            put(o, "%s (0x%08lX)", known, (unsigned long)status);
        else
            put(o, "0x%08lX", (unsigned long)status);
    } else if (IS("HRESULT") || IS("WINERROR") || IS("NDIS_STATUS")) {
        put(o, "0x%08lX", (unsigned long)va_arg(*args, ULONG));
    } else if (IS("bool") || IS("BOOLEAN")) {
        put(o, "%s", va_arg(*args, int) ? "TRUE" : "FALSE");
    } else if (IS("GUID") || IS("CLSID") || IS("IID")) {
        const GUID *g = va_arg(*args, const GUID *);

        if (!g)
            put(o, "(null)");
        else
            put(o, "%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", (unsigned long)g->Data1,
                g->Data2, g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3],
                g->Data4[4], g->Data4[5], g->Data4[6], g->Data4[7]);
    } else if (IS("IPADDR")) {
        ULONG a = va_arg(*args, ULONG);

        put(o, "%lu.%lu.%lu.%lu", a & 0xff, (a >> 8) & 0xff, (a >> 16) & 0xff, a >> 24);
    } else if (IS("PORT")) {
        unsigned p = (unsigned)va_arg(*args, int) & 0xffff;

        put(o, "%u", ((p & 0xff) << 8) | (p >> 8)); /* network order */
    } else if (IS("ptr")) {
        put(o, "%p", va_arg(*args, void *));
    } else {
        return 0;
    }
    return 1;
#undef IS
}

/* One printf conversion at spec (with its flags, width, precision and length), argument from
 * args; returns where the conversion ends. */
static const char *put_conversion(struct out *o, const char *spec, va_list *args)
{
    char piece[32];
    const char *p = spec + 1;
    int wide_length = 0, long_long = 0;
    size_t n;

    while (*p && strchr("-+ #0", *p))
        p++;
    while (*p == '*' || (*p >= '0' && *p <= '9') || *p == '.')
        p++; /* '*' is refused below: WPP does not take it either */
    if (p[0] == 'I' && p[1] == '6' && p[2] == '4')
        long_long = 1, p += 3;
    else if (p[0] == 'l' && p[1] == 'l')
        long_long = 1, p += 2;
    else if (*p == 'I' || *p == 'z' || *p == 'j' || *p == 't')
        long_long = 1, p++;
    else if (*p == 'h' || *p == 'l' || *p == 'w')
        wide_length = *p == 'w', p++;
    if (!*p)
        return p;
    n = (size_t)(p - spec) + 1;
    if (n >= sizeof(piece) || memchr(spec, '*', n)) {
        put(o, "<bad format>");
        return p + 1;
    }
    memcpy(piece, spec, n);
    piece[n] = 0;
    switch (*p) {
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'c':
        if (long_long) {
            long long value = va_arg(*args, long long);
            put(o, piece, value);
        } else {
            int value = va_arg(*args, int);
            put(o, piece, value);
        }
        break;
    case 'p':
        put(o, piece, va_arg(*args, void *));
        break;
    case 's': case 'S':
        if (wide_length || *p == 'S') {
            const wchar_t *wide = va_arg(*args, const wchar_t *);
            put(o, piece, wide);
        } else {
            const char *narrow = va_arg(*args, const char *);
            put(o, piece, narrow);
        }
        break;
    case 'Z': {
        /* %wZ (UNICODE_STRING) and %Z (ANSI_STRING), read here: DbgPrint may not at raised IRQL */
        if (wide_length) {
            PCUNICODE_STRING s = va_arg(*args, PCUNICODE_STRING);
            put(o, "%.*ws", s ? (int)(s->Length / sizeof(WCHAR)) : 6, s ? s->Buffer : L"(null)");
        } else {
            const ANSI_STRING *s = va_arg(*args, const ANSI_STRING *);
            put(o, "%.*s", s ? (int)s->Length : 6, s ? s->Buffer : "(null)");
        }
        break;
    }
    case '%':
        put(o, "%%");
        break;
    default:
        put(o, "<%%%c?>", *p);
        break;
    }
    return p + 1;
}

void minwdm_wpp_trace(const char *control, const char *file, int line, const char *function,
                      unsigned level, int bit, const char *format, ...)
{
    struct out o;
    const char *f;
    va_list args;
    ULONG dpfltr_level = level && level <= 2 ? DPFLTR_ERROR_LEVEL
                         : level == 3        ? DPFLTR_WARNING_LEVEL
                                             : DPFLTR_INFO_LEVEL;

    (void)bit;
    o.used = 0;
    o.text[0] = 0;
    va_start(args, format);
    for (f = format; *f && o.used + 1 < sizeof(o.text);) {
        const char *percent = strchr(f, '%');
        size_t plain = percent ? (size_t)(percent - f) : strlen(f);

        if (plain) {
            put(&o, "%.*s", (int)plain, f);
            f += plain;
            continue;
        }
        if (f[1] == '!') {
            const char *end = strchr(f + 2, '!');

            if (end && put_wpp_type(&o, f + 2, (size_t)(end - f - 2), &args, file, line, function)) {
                f = end + 1;
                continue;
            }
            if (end) { /* a custom type (an enum...): its number */
                put(&o, "%d", va_arg(args, int));
                f = end + 1;
                continue;
            }
        }
        f = put_conversion(&o, f, &args);
    }
    va_end(args);
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, dpfltr_level, "%s: %s\n", control, o.text);
}
