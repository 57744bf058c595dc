/* The driver's log: core/log.c over a static ring, DbgPrintEx and the service key. */
#ifndef MINWDM_KERNEL_LOG_H
#define MINWDM_KERNEL_LOG_H

#include <ntddk.h>

#include "core/log.h"

extern struct logger driver_log;

/* printf-style (core/format.h); the text of a message is an argument, never the format. */
#define LOG_ERROR(...) log_at(&driver_log, MINWDM_LOG_ERROR, __VA_ARGS__)
#define LOG_WARN(...) log_at(&driver_log, MINWDM_LOG_WARN, __VA_ARGS__)
#define LOG_INFO(...) log_at(&driver_log, MINWDM_LOG_INFO, __VA_ARGS__)
#define LOG_DEBUG(...) log_at(&driver_log, MINWDM_LOG_DEBUG, __VA_ARGS__)
#define LOG_TRACE(...) log_at(&driver_log, MINWDM_LOG_TRACE, __VA_ARGS__)

/*
 * Starts the log, first thing in DriverEntry (PASSIVE_LEVEL): lines begin with `name`; the
 * LogLevel (REG_DWORD, enum minwdm_log_level) and LogDetails (REG_DWORD, LOG_DETAIL_* bits)
 * values of the service key set the level and the optional parts of each line.
 */
void kernel_log_start(const char *name, PUNICODE_STRING registry_path);

/* Leaves the log in the service key's MINWDM_SAVED_LOG_VALUE (PASSIVE_LEVEL): at unload, and
 * when DriverEntry fails. Best effort. */
void kernel_log_save(void);

#endif
