/*
 * Load/unload churn through minwdmctl's library: N times start the driver, open its device, read
 * its allocator statistics, close, stop. Every cycle must work, and while a handle is open the
 * driver holds exactly its handle cache and that handle's context. Prints TAP.
 *   churn.exe <minwdm.sys> <cycles>
 */
#include <stdlib.h>
#include <wchar.h>

#include "check.h"
#include "ctl_device.h"
#include "ctl_service.h"

#define NAME L"minwdm"
#define TIMEOUT_MS 15000

int wmain(int argc, WCHAR **argv)
{
    WCHAR path[CTL_PATH_MAX];
    struct ctl_result r;
    struct minwdm_stats s = {0};
    int cycles = argc == 3 ? _wtoi(argv[2]) : 0;
    int good = 0;

    if (cycles <= 0 || ctl_absolute_path(argv[1], path) != ERROR_SUCCESS) {
        fprintf(stderr, "usage: churn <minwdm.sys> <cycles>\n");
        return 2;
    }
    CHECK(ctl_service_install(NAME, path, SERVICE_DEMAND_START, &r));
    for (int i = 0; i < cycles; i++) {
        DWORD error;
        int ok = ctl_service_start(NAME, TIMEOUT_MS, &r) && r.outcome == CTL_STARTED;
        HANDLE device = ok ? ctl_device_open(MINWDM_DEVICE_PATH_W, &error) : INVALID_HANDLE_VALUE;
        ok = ok && device != INVALID_HANDLE_VALUE &&
             ctl_device_query(device, IOCTL_MINWDM_GET_STATS, &s, sizeof(s)) == 0 &&
             s.outstanding_blocks == 2 && s.failures == 0;
        for (unsigned e = 0; ok && e < MINWDM_EVENT_COUNT; e++)
            ok = s.events[e] == 0;
        if (device != INVALID_HANDLE_VALUE)
            CloseHandle(device);
        ok = ctl_service_stop(NAME, TIMEOUT_MS, &r) && r.outcome == CTL_STOPPED && ok;
        if (!ok)
            fprintf(stderr, "cycle %d failed (call %s, error %lu, outstanding %llu)\n", i,
                    r.call ? r.call : "-", (unsigned long)r.error,
                    (unsigned long long)s.outstanding_blocks);
        good += ok;
    }
    CHECK(good == cycles);
    CHECK(ctl_service_remove(NAME, TIMEOUT_MS, &r) && r.outcome == CTL_REMOVED);
    printf("%d of %d load/unload cycles worked\n", good, cycles);
    return check_done("churn");
}
