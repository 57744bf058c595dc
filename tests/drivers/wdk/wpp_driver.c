/*
 * wpp_driver: WPP tracing as WDK drivers write it, built without tracewpp: the kit generates
 * wpp_driver.tmh (wdm_wpp in tests/drivers/wdk/CMakeLists.txt) from WPP_CONTROL_GUIDS, the
 * TraceEvents function the project names and the config block of wpp_trace.h. Its messages,
 * with WPP's %!...! types, reach the debug output that tests/wine/wdk_real.sh reads.
 */
#include <ntddk.h>

#include "wpp_trace.h"
#include "wpp_driver.tmh"

static const GUID sample_guid = {0x01234567, 0x89ab, 0xcdef, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};

static VOID NTAPI unload(PDRIVER_OBJECT driver)
{
    DoTraceMessage(TRACE_DRIVER, "unloading from %!FUNC!");
    WPP_CLEANUP(driver);
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"wpp-name");

    WPP_INIT_TRACING(driver, registry);
    TraceEvents(TRACE_LEVEL_INFORMATION, TRACE_DRIVER, "%!FUNC! at line %!LINE! of %!FILE!");
    TraceEvents(TRACE_LEVEL_ERROR, TRACE_QUEUE, "status %!STATUS!, then %!STATUS!",
                STATUS_SUCCESS, STATUS_INVALID_PARAMETER);
    TraceEvents(TRACE_LEVEL_WARNING, TRACE_QUEUE, "guid %!GUID! bool %!bool! ip %!IPADDR! hr %!HRESULT!",
                &sample_guid, 1, 0x0100007fu, 0x80070005u);
    TraceEvents(TRACE_LEVEL_VERBOSE, TRACE_DRIVER, "plain %d %5u 0x%08x %s %ws %wZ %I64d %p%%",
                -42, 7u, 0xbeefu, "narrow", L"wide", &name, -5000000000LL, (void *)0);
    TRACE_FAILURE(STATUS_SUCCESS);             /* traced only on failure: nothing */
    TRACE_FAILURE(STATUS_INSUFFICIENT_RESOURCES);
    driver->DriverUnload = unload;
    return STATUS_SUCCESS;
}
