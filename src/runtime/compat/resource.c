/*
 * ExEnterCriticalRegionAndAcquireResourceExclusive/Shared,
 * ExEnterCriticalRegionAndAcquireSharedWaitForExclusive and
 * ExReleaseResourceAndLeaveCriticalRegion (Windows Vista and later; not in Wine 8): a critical
 * region, then the ERESOURCE call, as their documentation describes them. The Windows routines
 * return the current thread's Win32 thread; the kit's return NULL (drivers ignore it).
 */
#include "kernel_routine.h"

typedef PVOID(NTAPI *enter_fn)(PERESOURCE);
typedef VOID(NTAPI *leave_fn)(PERESOURCE);

enum { EXCLUSIVE, SHARED, SHARED_WAIT, RELEASE, ROUTINES };
static const PCWSTR names[ROUTINES] = {L"ExEnterCriticalRegionAndAcquireResourceExclusive",
                                       L"ExEnterCriticalRegionAndAcquireResourceShared",
                                       L"ExEnterCriticalRegionAndAcquireSharedWaitForExclusive",
                                       L"ExReleaseResourceAndLeaveCriticalRegion"};
static void *volatile kernel[ROUTINES];
static struct compat_family family = {COMPAT_UNDECIDED, ROUTINES, names, kernel};
COMPAT_DECIDE_AT_LOAD(family);

static PVOID NTAPI enter_exclusive(PERESOURCE resource)
{
    if (compat_use_kernel(&family))
        return ((enter_fn)kernel[EXCLUSIVE])(resource);
    KeEnterCriticalRegion();
    ExAcquireResourceExclusiveLite(resource, TRUE);
    return NULL;
}

static PVOID NTAPI enter_shared(PERESOURCE resource)
{
    if (compat_use_kernel(&family))
        return ((enter_fn)kernel[SHARED])(resource);
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(resource, TRUE);
    return NULL;
}

static PVOID NTAPI enter_shared_wait(PERESOURCE resource)
{
    if (compat_use_kernel(&family))
        return ((enter_fn)kernel[SHARED_WAIT])(resource);
    KeEnterCriticalRegion();
    ExAcquireSharedWaitForExclusive(resource, TRUE);
    return NULL;
}

static VOID NTAPI release_and_leave(PERESOURCE resource)
{
    if (compat_use_kernel(&family)) {
        ((leave_fn)kernel[RELEASE])(resource);
        return;
    }
    ExReleaseResourceLite(resource);
    KeLeaveCriticalRegion();
}

COMPAT_ROUTINE(ExEnterCriticalRegionAndAcquireResourceExclusive, enter_exclusive);
COMPAT_ROUTINE(ExEnterCriticalRegionAndAcquireResourceShared, enter_shared);
COMPAT_ROUTINE(ExEnterCriticalRegionAndAcquireSharedWaitForExclusive, enter_shared_wait);
COMPAT_ROUTINE(ExReleaseResourceAndLeaveCriticalRegion, release_and_leave);
