#include "ctl_host_rule.h"

static int running(uint32_t state)
{
    return state == CTL_SERVICE_RUNNING || state == CTL_SERVICE_STOP_PENDING;
}

int ctl_host_needs_lookup(const struct ctl_host_facts *facts)
{
    return facts->under_wine && running(facts->service_state);
}

enum ctl_host_state ctl_host_judge(const struct ctl_host_facts *facts)
{
    if (!facts->under_wine)
        return CTL_HOST_UNKNOWN; /* Windows: a driver's fault stops the machine, not a process */
    if (running(facts->service_state))
        return facts->host_pid ? CTL_HOST_ALIVE : CTL_HOST_CRASHED;
    if (facts->service_state == CTL_SERVICE_STOPPED &&
        facts->win32_exit_code == CTL_ERROR_PROCESS_ABORTED)
        return CTL_HOST_CRASHED;
    return CTL_HOST_UNKNOWN;
}

int ctl_host_crashed_in_start(const struct ctl_host_facts *facts, uint32_t start_error)
{
    if (!facts->under_wine || facts->host_pid)
        return 0;
    return start_error == CTL_ERROR_SERVICE_REQUEST_TIMEOUT ||
           start_error == CTL_ERROR_PROCESS_ABORTED;
}
