/*
 * The special pool of test and verified builds under Wine: each block alone at the end of its
 * own pages, a no-access page after it, its pages no-access once freed (kept so for a while), as
 * Driver Verifier's special pool does: an overrun or a write after free faults at the writing
 * instruction, and the crash report (toolchain/wine/crash-report.sh) names the line and says
 * "verifier: pool-overrun" or "verifier: pool-use-after-free". The layout is in
 * core/special_arena.h; docs/special-pool.md says what it covers and costs.
 *
 * It needs page protection in the address space the driver runs in, which only Wine gives a
 * driver (its host, winedevice.exe, is a process: ZwAllocateVirtualMemory on NtCurrentProcess()
 * is the driver's own address space). On Windows it is off (callers fall back to the pool):
 * use Driver Verifier's special pool there.
 */
#ifndef MINWDM_SPECIAL_POOL_H
#define MINWDM_SPECIAL_POOL_H

#include <ntddk.h>

#include <minwdm/mem.h>

/* A zeroed block of size bytes whose last byte touches a no-access page, or NULL when the special
 * pool is off, the block does not fit (more than about 124 KiB) or executable memory is asked
 * for: the caller then uses the normal pool. Its start is aligned to the largest power of two up
 * to 16 that divides size. Any IRQL up to DISPATCH_LEVEL (the pool itself is one spin lock). */
void *special_pool_alloc(size_t size, ULONG tag, int executable_requested);

/* 1 when p was a special-pool block and was handled: freed (its pages no-access), or a double
 * free or a pointer inside a block, reported and not passed on. 0: not ours, free it as usual. */
int special_pool_free(void *p);

/* Whether p lies in the special pool's address space (a block, live or freed, or a guard). */
int special_pool_owns(const void *p);

/* --- the runtime's side --- */

enum special_pool_setting { SPECIAL_POOL_OFF, SPECIAL_POOL_OVERRUNS, SPECIAL_POOL_UNDERRUNS };

/* Starts it (PASSIVE_LEVEL) when asked for and possible (Wine); logs what it did. 1: on. */
int special_pool_start(ULONG setting);
/* Gives the address space back (PASSIVE_LEVEL, after the allocator was destroyed). */
void special_pool_stop(void);
/* The allocator's hooks (struct mem_platform's special_*). */
void special_pool_hooks(struct mem_platform *platform);

#endif
