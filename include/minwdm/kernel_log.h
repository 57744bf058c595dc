/*
 * The driver's log: minwdm's logger (<minwdm/log.h>) over a static ring, DbgPrintEx and the
 * service key. The runtime starts it before the driver's DriverEntry (lines begin with the
 * service name; the LogLevel and LogDetails values of the service key set the level and the
 * optional parts of each line) and saves it in the service key when the driver unloads.
 */
#ifndef MINWDM_KERNEL_LOG_H
#define MINWDM_KERNEL_LOG_H

#include <ntddk.h>

#include <minwdm/log.h>

extern struct logger driver_log;

/* printf-style (<minwdm/format.h>); the text of a message is an argument, never the format. */
#define LOG_ERROR(...) log_at(&driver_log, MINWDM_LOG_ERROR, __VA_ARGS__)
#define LOG_WARN(...) log_at(&driver_log, MINWDM_LOG_WARN, __VA_ARGS__)
#define LOG_INFO(...) log_at(&driver_log, MINWDM_LOG_INFO, __VA_ARGS__)
#define LOG_DEBUG(...) log_at(&driver_log, MINWDM_LOG_DEBUG, __VA_ARGS__)
#define LOG_TRACE(...) log_at(&driver_log, MINWDM_LOG_TRACE, __VA_ARGS__)

/* What a log line may show of a kernel address, for %p: the address in a test build
 * (add_wdm_test), where it helps; in a release build a keyed hash of it, the same for the same
 * address during one load (lines still match up), telling a reader of the log, which outlives
 * the driver, nothing of where the kernel put anything (KASLR). */
const void *minwdm_log_address(const void *address);

#endif
