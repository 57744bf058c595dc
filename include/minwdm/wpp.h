/*
 * WPP software tracing without the WDK's tracewpp (kernel mode). The <file>.tmh that
 * wdm_wpp() generates (toolchain/minwdm-wpp.cmake) includes this header; a driver includes only
 * its .tmh, as with the WDK. Trace calls become calls to minwdm_wpp_trace, which formats the
 * message at run time (WPP's %!STATUS!, %!FUNC!, %!LINE!, %!FILE!, %!HRESULT!, %!WINERROR!,
 * %!GUID!, %!bool!, %!BOOLEAN!, %!IPADDR!, %!PORT!, %!ptr! and custom types as numbers) and writes
 * it with DbgPrintEx, where WinDbg, DebugView and the kit's Wine harness read it. There is no
 * ETW session and no TMF: what differs from WPP is in docs/wpp.md.
 *
 * The driver defines WPP_CONTROL_GUIDS (WPP_DEFINE_CONTROL_GUID, WPP_DEFINE_BIT) before it
 * includes its .tmh. Messages above MINWDM_WPP_LEVEL (default TRACE_LEVEL_VERBOSE: all) are
 * dropped at compile time's choice of level, checked at run time.
 */
#ifndef MINWDM_WPP_H
#define MINWDM_WPP_H

#ifndef WPP_CONTROL_GUIDS
#error "WPP: define WPP_CONTROL_GUIDS (WPP_DEFINE_CONTROL_GUID(...)) before including the .tmh file"
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifndef TRACE_LEVEL_NONE
#define TRACE_LEVEL_NONE 0
#define TRACE_LEVEL_CRITICAL 1
#define TRACE_LEVEL_FATAL 1
#define TRACE_LEVEL_ERROR 2
#define TRACE_LEVEL_WARNING 3
#define TRACE_LEVEL_INFORMATION 4
#define TRACE_LEVEL_VERBOSE 5
#endif
#ifndef MINWDM_WPP_LEVEL
#define MINWDM_WPP_LEVEL TRACE_LEVEL_VERBOSE
#endif

/* The flags of WPP_CONTROL_GUIDS: WPP_BIT_<name> numbers each bit, in the order defined. */
#define WPP_DEFINE_BIT(name) WPP_BIT_##name,
#define WPP_DEFINE_CONTROL_GUID(name, guid, bits) bits
enum minwdm_wpp_bits { WPP_CONTROL_GUIDS WPP_BIT_COUNT_ };
#undef WPP_DEFINE_CONTROL_GUID
/* The control's name prefixes every message. */
#define WPP_DEFINE_CONTROL_GUID(name, guid, bits) #name
static const char minwdm_wpp_control_name[] = WPP_CONTROL_GUIDS;
#undef WPP_DEFINE_CONTROL_GUID
#define WPP_DEFINE_CONTROL_GUID(name, guid, bits)

void minwdm_wpp_trace(const char *control, const char *file, int line, const char *function,
                      unsigned level, int bit, const char *format, ...);

#define MINWDM_WPP_TRACE(level, bit, ...)                                                        \
    ((level) <= MINWDM_WPP_LEVEL                                                                 \
         ? minwdm_wpp_trace(minwdm_wpp_control_name, MINWDM_WPP_FILE, __LINE__, __FUNCTION__,   \
                            (level), (bit), __VA_ARGS__)                                         \
         : (void)0)

/* WPP's own macros: tracing needs no session here. */
#define WPP_INIT_TRACING(object, registry_path) ((void)(object), (void)(registry_path))
#define WPP_CLEANUP(object) ((void)(object))
#define WPP_SYSTEMCONTROL(driver) ((void)(driver))
#define WPP_RECORDER_LEVEL_FLAGS_ARGS(level, flags) (level), WPP_BIT_##flags
#define WPP_CONTROL(bit) minwdm_wpp_control_always_on
#define WPP_LEVEL_ENABLED(flag) 1
#define WPP_FLAG_ENABLED(flag) 1
#define WPP_LEVEL_LOGGER(flag) 0
#define WPP_FLAG_LOGGER(flag) 0
static const struct { unsigned char Level; unsigned Flags[1]; } minwdm_wpp_control_always_on = {
    TRACE_LEVEL_VERBOSE, {0xffffffffu}};

/* The one trace function every WPP driver has. */
#define DoTraceMessage(flag, ...) MINWDM_WPP_TRACE(TRACE_LEVEL_NONE, WPP_BIT_##flag, __VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif
