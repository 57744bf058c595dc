/*
 * What `minwdmctl test` needs beyond services and devices: requests and programs with a deadline,
 * the runtime's kernel tests and unload report. Nothing here prints.
 */
#ifndef MINWDMCTL_TEST_H
#define MINWDMCTL_TEST_H

#include <minwdm/control.h>
#include <windows.h>

#include "ctl_pending.h"

/* What a request gets when it did not finish in time: STATUS_IO_TIMEOUT, an error (never a
 * success status such as STATUS_TIMEOUT 0x102), when the driver completed it once cancelled;
 * CTL_STATUS_HUNG, an error too, when even the cancel did not end it: a thread is still inside
 * the driver. */
#define CTL_STATUS_TIMEOUT ((LONG)0xC00000B5L)
#define CTL_STATUS_HUNG ((LONG)0xE0000102L) /* a customer code (bit 29): minwdmctl's own */

/* ctl_device_request with a deadline: a request still running after timeout_ms is cancelled
 * and answered with CTL_STATUS_TIMEOUT, or CTL_STATUS_HUNG when its thread must be abandoned
 * because the driver never lets go. */
LONG ctl_request_within(HANDLE device, DWORD code, const void *input, DWORD input_length,
                        void *output, DWORD output_length, DWORD *returned, DWORD timeout_ms);

/* Test `index` of the driver's kernel tests, and how many there are. */
LONG ctl_test_entry(HANDLE control, uint32_t index, struct minwdm_test_entry *entry,
                    DWORD timeout_ms);

/* Runs the kernel test `name` (ASCII) in the driver. */
LONG ctl_test_run(HANDLE control, const char *name, struct minwdm_test_result *result,
                  DWORD timeout_ms);

/* The runtime's report of the driver's last unload: ERROR_SUCCESS, ERROR_FILE_NOT_FOUND when
 * there is none, ERROR_INVALID_DATA when it is not one. */
DWORD ctl_unload_report(const WCHAR *service, struct minwdm_unload_report *report);

/* The load's instance (GET_INFO: minwdm_control_info.instance); 0 when the control device does
 * not answer with one. */
uint64_t ctl_instance(HANDLE control, DWORD timeout_ms);

/* The pending list of the load `instance` (ctl_pending.h), read from the driver's saved key:
 * ERROR_SUCCESS, ERROR_FILE_NOT_FOUND when there is none, ERROR_INVALID_DATA when it is not one
 * (another type, size or load). */
DWORD ctl_pending_read(const WCHAR *service, uint64_t instance, struct ctl_pending_list *list);

/* Now, on the pending list's clock: the performance counter in 100 ns units. */
uint64_t ctl_pending_now(void);

enum ctl_program_end { CTL_PROGRAM_EXITED, CTL_PROGRAM_TIMED_OUT, CTL_PROGRAM_NOT_STARTED };

/* Runs command_line, waits at most timeout_ms (then ends it). *exit_code is its exit code, or
 * the Win32 error of CreateProcess when it did not start. */
enum ctl_program_end ctl_run_program(WCHAR *command_line, DWORD timeout_ms, DWORD *exit_code);

/* FALSE when the service's driver is gone: not running, or (Wine, whose driver host
 * winedevice.exe a driver's fault ends while the service manager still says RUNNING) its host
 * crashed (ctl_host.h). On Windows a fault in a driver stops the machine instead. */
BOOL ctl_driver_host_alive(const WCHAR *service);

#endif
