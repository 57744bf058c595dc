/* What process_notify.c offers its kernel test (process_notify_test.c). */
#ifndef PROCESS_NOTIFY_DRIVER_H
#define PROCESS_NOTIFY_DRIVER_H

#include <ntddk.h>

#include "process_notify.h"

/* What the routines saw of one process so far. */
void process_notify_summary(HANDLE process_id, struct process_notify_summary *summary);
/* The routines removed (again: harmless). */
void process_notify_remove(void);

#endif
