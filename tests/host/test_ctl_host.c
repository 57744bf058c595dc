/* minwdmctl's judgement of a driver host under Wine (user/ctl_host_rule.c), over the shapes
 * each Wine version leaves: Wine 8 keeps a crashed host's service RUNNING, Wine 10 marks it
 * STOPPED with 1067. Both are tested here, whichever Wine is installed. */
#include "check.h"
#include "ctl_host_rule.h"

static enum ctl_host_state judge(int wine, uint32_t state, uint32_t exit_code, uint32_t pid)
{
    struct ctl_host_facts facts = {wine, state, exit_code, pid};

    return ctl_host_judge(&facts);
}

static int looked_up(int wine, uint32_t state)
{
    struct ctl_host_facts facts = {wine, state, 0, 0};

    return ctl_host_needs_lookup(&facts);
}

static int crashed_in_start(int wine, uint32_t start_error, uint32_t pid)
{
    struct ctl_host_facts facts = {wine, CTL_SERVICE_STOPPED, 0, pid};

    return ctl_host_crashed_in_start(&facts, start_error);
}

int main(void)
{
    /* A start that failed: 1053 (Wine 8) or 1067 with no host holding the image is a crash in
     * DriverEntry; with a host, DriverEntry still runs (a timeout); other errors are the start's. */
    CHECK(crashed_in_start(1, CTL_ERROR_SERVICE_REQUEST_TIMEOUT, 0));
    CHECK(crashed_in_start(1, CTL_ERROR_PROCESS_ABORTED, 0));
    CHECK(!crashed_in_start(1, CTL_ERROR_SERVICE_REQUEST_TIMEOUT, 1234));
    CHECK(!crashed_in_start(1, 87, 0));
    CHECK(!crashed_in_start(1, 577, 0));
    CHECK(!crashed_in_start(0, CTL_ERROR_SERVICE_REQUEST_TIMEOUT, 0));
    /* Wine 8: RUNNING, no winedevice.exe has the image. */
    CHECK_EQ(judge(1, CTL_SERVICE_RUNNING, 0, 0), CTL_HOST_CRASHED);
    CHECK_EQ(judge(1, CTL_SERVICE_STOP_PENDING, 0, 0), CTL_HOST_CRASHED);
    /* Wine 10: STOPPED with ERROR_PROCESS_ABORTED. */
    CHECK_EQ(judge(1, CTL_SERVICE_STOPPED, CTL_ERROR_PROCESS_ABORTED, 0), CTL_HOST_CRASHED);
    /* Alive, and stopped the ordinary way (0), or after a failed start (DriverEntry's status). */
    CHECK_EQ(judge(1, CTL_SERVICE_RUNNING, 0, 1234), CTL_HOST_ALIVE);
    CHECK_EQ(judge(1, CTL_SERVICE_STOPPED, 0, 0), CTL_HOST_UNKNOWN);
    CHECK_EQ(judge(1, CTL_SERVICE_STOPPED, 1077, 0), CTL_HOST_UNKNOWN);
    CHECK_EQ(judge(1, CTL_SERVICE_STOPPED, 87, 0), CTL_HOST_UNKNOWN);
    /* Windows: a driver has no host process; 1067 there is not ours to explain. */
    CHECK_EQ(judge(0, CTL_SERVICE_RUNNING, 0, 0), CTL_HOST_UNKNOWN);
    CHECK_EQ(judge(0, CTL_SERVICE_STOPPED, CTL_ERROR_PROCESS_ABORTED, 0), CTL_HOST_UNKNOWN);
    /* The host is looked for only where its absence means something. */
    CHECK(looked_up(1, CTL_SERVICE_RUNNING));
    CHECK(looked_up(1, CTL_SERVICE_STOP_PENDING));
    CHECK(!looked_up(1, CTL_SERVICE_STOPPED));
    CHECK(!looked_up(0, CTL_SERVICE_RUNNING));
    return check_done("ctl_host");
}
