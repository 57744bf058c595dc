/* wpp_driver's WPP configuration, read by wdm_wpp(... SCAN_CONFIG) as tracewpp -scan reads it. */
#define WPP_CONTROL_GUIDS                                                                        \
    WPP_DEFINE_CONTROL_GUID(WppDriver, (6a8a5b5e, 3c1d, 4f0e, 9b7a, 1d2c3e4f5a6b),               \
                            WPP_DEFINE_BIT(TRACE_DRIVER) WPP_DEFINE_BIT(TRACE_QUEUE))

#define WPP_LEVEL_FLAGS_LOGGER(level, flags) WPP_LEVEL_LOGGER(flags)
#define WPP_LEVEL_FLAGS_ENABLED(level, flags)                                                    \
    (WPP_LEVEL_ENABLED(flags) && WPP_CONTROL(WPP_BIT_##flags).Level >= level)

// begin_wpp config
// FUNC TRACE_FAILURE{FLAG=TRACE_DRIVER}(EXP);
// USESUFFIX (TRACE_FAILURE, "failed with %!STATUS!", EXP);
// end_wpp

/* TRACE_FAILURE traces only a failure, through WPP's PRE/POST macros. */
#define WPP_FLAG_EXP_PRE(flags, status) if (!NT_SUCCESS(status)) {
#define WPP_FLAG_EXP_POST(flags, status) }
#define WPP_FLAG_EXP_ENABLED(flags, status) WPP_FLAG_ENABLED(flags)
#define WPP_FLAG_EXP_LOGGER(flags, status) WPP_FLAG_LOGGER(flags)
