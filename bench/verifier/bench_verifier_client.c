/* One round of the verifier's benchmark: "pool <ns> lock <ns> irp <ns>" (ns per pair, per IRP).
 *   bench_verifier_client <kernel iterations> <irps> */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>
#include <winioctl.h>

#include "bench_verifier.h"

int main(int argc, char **argv)
{
    ULONG iterations = argc > 1 ? (ULONG)strtoul(argv[1], NULL, 10) : 100000;
    ULONG irps = argc > 2 ? (ULONG)strtoul(argv[2], NULL, 10) : 2000;
    ULONGLONG results[2];
    LARGE_INTEGER frequency, start, end;
    DWORD returned;
    HANDLE device = CreateFileW(BENCH_USER_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL,
                                OPEN_EXISTING, 0, NULL);

    if (device == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "bench_verifier_client: no device (error %lu)\n", GetLastError());
        return 1;
    }
    if (!irps)
        irps = 1;
    if (!DeviceIoControl(device, BENCH_KERNEL, &iterations, sizeof(iterations), results,
                         sizeof(results), &returned, NULL)) {
        fprintf(stderr, "bench_verifier_client: the kernel benchmark failed: %lu\n", GetLastError());
        CloseHandle(device);
        return 1;
    }
    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&start);
    for (ULONG i = 0; i < irps; i++)
        DeviceIoControl(device, BENCH_NOTHING, NULL, 0, NULL, 0, &returned, NULL);
    QueryPerformanceCounter(&end);
    printf("pool %llu lock %llu irp %llu\n", results[0], results[1],
           (unsigned long long)((end.QuadPart - start.QuadPart) * 1000000000ull /
                                (ULONGLONG)frequency.QuadPart / irps));
    CloseHandle(device);
    return 0;
}
