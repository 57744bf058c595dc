/*
 * C++ drivers (add_wdm_driver with .cpp sources): what the kit adds to C++ in the kernel.
 *
 * operator new and delete, every standard form, come from the kit (src/runtime/cxx/new.c): in a
 * RUNTIME driver from the driver's allocator (tag 'MwCx', counted by `minwdmctl stats`, leaks
 * reported and freed at unload), without the runtime from nonpaged NX pool. Memory is zeroed.
 * Nothing is thrown: a failed allocation gives NULL. `new (std::nothrow) T` and `MINWDM_NEW T`
 * are checked by the compiler (no constructor runs on NULL); plain `new T` only where the
 * compiler has -fcheck-new (GCC, clang 17 and later), so with clang 14 use one of those two
 * wherever an allocation may fail. MINWDM_NEW also records the call site, which leak reports
 * and `minwdmctl stats` show (`leak ... tag 'MwCx' 24 bytes from DriverEntry:42`).
 *
 * Global objects are constructed before DriverEntry and destroyed after DriverUnload (or when
 * DriverEntry fails). Function-local statics are constructed at their first use without a lock
 * (no thread-safe statics in the kernel): construct them in DriverEntry if threads race for them.
 */
#ifndef MINWDM_CXX_H
#define MINWDM_CXX_H

#ifndef __cplusplus
#error "<minwdm/cxx.h> is for C++ sources"
#endif

#include <new>

#include <minwdm/runtime.h>

void *operator new(size_t size, const mem_site *site) noexcept;
void *operator new[](size_t size, const mem_site *site) noexcept;
/* Called only if a constructor threw, which cannot happen here; declared to match. */
void operator delete(void *block, const mem_site *site) noexcept;
void operator delete[](void *block, const mem_site *site) noexcept;

/* `MINWDM_NEW widget(42)`: new with this line's call site, NULL when out of memory. */
#define MINWDM_NEW new (MEM_SITE)

#endif
