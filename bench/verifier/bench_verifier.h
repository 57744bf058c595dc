/* The verifier's benchmark driver and client (bench/verifier/run): shared request codes. */
#ifndef BENCH_VERIFIER_H
#define BENCH_VERIFIER_H

#define BENCH_USER_NAME L"\\\\.\\BenchVerifier"
/* Input ULONG iterations; output two ULONG64: ns per pool pair, ns per spin lock pair. */
#define BENCH_KERNEL CTL_CODE(0x8338u, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Completed at once: what one IRP costs, timed by the client. */
#define BENCH_NOTHING CTL_CODE(0x8338u, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)

#endif
