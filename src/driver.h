/* What the driver's kernel glue shares between its files. */
#ifndef MINWDM_DRIVER_H
#define MINWDM_DRIVER_H

#include <ntddk.h>

#include "core/request.h"

#define HANDLE_TAG MEM_TAG('M', 'w', 'H', 'd')
#define HANDLE_CACHE_DEPTH 32

struct device_extension {
    struct minwdm_device device;
    struct mem_cache *handles; /* one struct handle_context per open handle */
};

/* What the driver keeps per open handle (FileObject->FsContext). */
struct handle_context {
    uint64_t requests;
};

/* Until the logger lands: one line per event, visible in DebugView and in Wine's debugstr. */
#define LOG_ERROR(fmt, ...) \
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "minwdm: " fmt "\n", ##__VA_ARGS__)
#define LOG_INFO(fmt, ...) \
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "minwdm: " fmt "\n", ##__VA_ARGS__)

DRIVER_DISPATCH dispatch_create;
DRIVER_DISPATCH dispatch_close;
DRIVER_DISPATCH dispatch_device_control;

#endif
