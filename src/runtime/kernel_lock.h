/* The portable core's lock in the kernel: a spin lock, held at DISPATCH_LEVEL. */
#ifndef MINWDM_KERNEL_LOCK_H
#define MINWDM_KERNEL_LOCK_H

#include <minwdm/lock.h>

extern const struct lock_ops kernel_lock_ops;

#endif
