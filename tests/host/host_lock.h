/* The portable core's lock on Linux: an atomic test-and-set spin lock. */
#ifndef MINWDM_TEST_HOST_LOCK_H
#define MINWDM_TEST_HOST_LOCK_H

#include <minwdm/lock.h>

extern const struct lock_ops host_lock_ops;

#endif
