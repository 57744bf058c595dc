/*
 * Where the driver keeps its code. Kernel builds (MINWDM_KERNEL, set by add_wdm_driver) put code
 * that only ever runs at PASSIVE_LEVEL in the PAGE section, which Windows may page out; on the
 * host the marker means nothing. Never for code a lock holder may call: it runs at
 * DISPATCH_LEVEL, where a page fault is a blue screen.
 */
#ifndef MINWDM_CORE_PLACEMENT_H
#define MINWDM_CORE_PLACEMENT_H

#ifdef MINWDM_KERNEL
#define CORE_PAGED_CODE __attribute__((section("PAGE"), noinline))
#else
#define CORE_PAGED_CODE
#endif

#endif
