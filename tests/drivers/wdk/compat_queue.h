/* The requests of compat_queue (tests/drivers/wdk/compat_queue.c), shared with its client. */
#ifndef COMPAT_QUEUE_H
#define COMPAT_QUEUE_H

#define COMPAT_QUEUE_DEVICE_TYPE 0x8354u
#define COMPAT_QUEUE_CODE(function) \
    ((COMPAT_QUEUE_DEVICE_TYPE << 16) | (0u << 14) | ((0x800u + (function)) << 2) | 0u)
/* in: a 32-bit tag. Queued (pending) until COMPLETE_NEXT, then completed with tag * 2 as its
 * 4 output bytes; refused with STATUS_DEVICE_BUSY when COMPAT_QUEUE_LIMIT are queued. */
#define IOCTL_COMPAT_QUEUE_WAIT COMPAT_QUEUE_CODE(0)
/* Completes the oldest queued request; out: 4 bytes, 1 if there was one, else 0. */
#define IOCTL_COMPAT_QUEUE_COMPLETE_NEXT COMPAT_QUEUE_CODE(1)
/* The driver's checks of the compat routines (guarded mutex, resources, system threads,
 * ExRaiseStatus); out: 4 bytes, how many failed (each is in the debug output). */
#define IOCTL_COMPAT_QUEUE_CHECKS COMPAT_QUEUE_CODE(2)
#define COMPAT_QUEUE_LIMIT 4

#endif
