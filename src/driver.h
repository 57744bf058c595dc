/* What the driver's kernel glue shares between its files. */
#ifndef MINWDM_DRIVER_H
#define MINWDM_DRIVER_H

#include <ntddk.h>

#include "core/request.h"

struct device_extension {
    struct minwdm_identity identity;
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
