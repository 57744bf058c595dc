/*
 * Guarded mutexes (KeInitializeGuardedMutex, KeAcquireGuardedMutex(Unsafe),
 * KeReleaseGuardedMutex(Unsafe), KeTryToAcquireGuardedMutex): Windows has them all since Vista;
 * Wine 8 initialises one and has none of the others. The kit's keep the documented behaviour
 * inside the KGUARDED_MUTEX itself: Count 1 when free, Owner the holder, the Gate an
 * auto-reset event waiters sleep on; the safe forms hold a critical region (normal kernel APCs
 * off), as a guarded region does. Recursive acquisition deadlocks, as on Windows.
 */
#include "kernel_routine.h"

typedef VOID(NTAPI *mutex_fn)(PKGUARDED_MUTEX);
typedef BOOLEAN(NTAPI *try_fn)(PKGUARDED_MUTEX);

enum { INITIALIZE, ACQUIRE, RELEASE, ACQUIRE_UNSAFE, RELEASE_UNSAFE, TRY_ACQUIRE, ROUTINES };
static const PCWSTR names[ROUTINES] = {
    L"KeInitializeGuardedMutex",    L"KeAcquireGuardedMutex",       L"KeReleaseGuardedMutex",
    L"KeAcquireGuardedMutexUnsafe", L"KeReleaseGuardedMutexUnsafe", L"KeTryToAcquireGuardedMutex"};
static void *volatile kernel[ROUTINES];
static struct compat_family family = {COMPAT_UNDECIDED, ROUTINES, names, kernel};
COMPAT_DECIDE_AT_LOAD(family);

/* The gate is a dispatcher header: an event's. */
#define GATE(mutex) ((PKEVENT)&(mutex)->Gate)

/* KeGetCurrentThread reads gs:[0x188], which GCC 12 takes for an access outside an array. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#endif
static PKTHREAD current_thread(void)
{
    return KeGetCurrentThread();
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

static BOOLEAN take(PKGUARDED_MUTEX mutex)
{
    if (InterlockedCompareExchange(&mutex->Count, 0, 1) != 1)
        return FALSE;
    mutex->Owner = current_thread();
    return TRUE;
}

static void wait_and_take(PKGUARDED_MUTEX mutex)
{
    while (!take(mutex)) {
        InterlockedIncrement((volatile LONG *)&mutex->Contention);
        KeWaitForSingleObject(GATE(mutex), Executive, KernelMode, FALSE, NULL);
    }
}

static void give(PKGUARDED_MUTEX mutex)
{
    mutex->Owner = NULL;
    InterlockedExchange(&mutex->Count, 1);
    KeSetEvent(GATE(mutex), IO_NO_INCREMENT, FALSE); /* one waiter retries */
}

static VOID NTAPI initialize(PKGUARDED_MUTEX mutex)
{
    if (compat_use_kernel(&family)) {
        ((mutex_fn)kernel[INITIALIZE])(mutex);
        return;
    }
    RtlZeroMemory(mutex, sizeof(*mutex));
    mutex->Count = 1;
    KeInitializeEvent(GATE(mutex), SynchronizationEvent, FALSE);
}

static VOID NTAPI acquire(PKGUARDED_MUTEX mutex)
{
    if (compat_use_kernel(&family)) {
        ((mutex_fn)kernel[ACQUIRE])(mutex);
        return;
    }
    KeEnterCriticalRegion();
    wait_and_take(mutex);
}

static VOID NTAPI release(PKGUARDED_MUTEX mutex)
{
    if (compat_use_kernel(&family)) {
        ((mutex_fn)kernel[RELEASE])(mutex);
        return;
    }
    give(mutex);
    KeLeaveCriticalRegion();
}

static VOID NTAPI acquire_unsafe(PKGUARDED_MUTEX mutex)
{
    if (compat_use_kernel(&family)) {
        ((mutex_fn)kernel[ACQUIRE_UNSAFE])(mutex);
        return;
    }
    wait_and_take(mutex);
}

static VOID NTAPI release_unsafe(PKGUARDED_MUTEX mutex)
{
    if (compat_use_kernel(&family)) {
        ((mutex_fn)kernel[RELEASE_UNSAFE])(mutex);
        return;
    }
    give(mutex);
}

static BOOLEAN NTAPI try_acquire(PKGUARDED_MUTEX mutex)
{
    if (compat_use_kernel(&family))
        return ((try_fn)kernel[TRY_ACQUIRE])(mutex);
    KeEnterCriticalRegion();
    if (take(mutex))
        return TRUE;
    KeLeaveCriticalRegion();
    return FALSE;
}

COMPAT_ROUTINE(KeInitializeGuardedMutex, initialize);
COMPAT_ROUTINE(KeAcquireGuardedMutex, acquire);
COMPAT_ROUTINE(KeReleaseGuardedMutex, release);
COMPAT_ROUTINE(KeAcquireGuardedMutexUnsafe, acquire_unsafe);
COMPAT_ROUTINE(KeReleaseGuardedMutexUnsafe, release_unsafe);
COMPAT_ROUTINE(KeTryToAcquireGuardedMutex, try_acquire);
