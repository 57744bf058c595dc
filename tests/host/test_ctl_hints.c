/* minwdmctl's advice and exit codes for the failures the issue lists, including those Wine
 * cannot produce (access denied, 577 signature refused, 1275 blocked by policy). */
#include <string.h>

#include "check.h"
#include "ctl_hints.h"

static int hint_says(uint32_t error, enum ctl_context context, const char *words)
{
    const char *hint = ctl_hint(error, context);

    if (!hint || !strstr(hint, words)) {
        fprintf(stderr, "error %u (context %d): hint '%s' lacks '%s'\n", (unsigned)error,
                (int)context, hint ? hint : "(none)", words);
        return 0;
    }
    return 1;
}

int main(void)
{
    const enum ctl_context any[] = {CTL_CONTEXT_SERVICE, CTL_CONTEXT_START, CTL_CONTEXT_DEVICE};

    /* Failures Wine cannot produce. */
    for (int c = 0; c < 3; c++) {
        CHECK(hint_says(5, any[c], "elevated"));
        CHECK_EQ(ctl_exit_code(5, any[c]), CTL_EXIT_ACCESS_DENIED);
        CHECK(hint_says(577, any[c], "test signing"));
        CHECK(hint_says(577, any[c], "after signing"));
        CHECK(hint_says(1275, any[c], "blocked by policy"));
        CHECK(hint_says(193, any[c], "not a valid x64 driver image"));
    }
    CHECK_EQ(ctl_exit_code(577, CTL_CONTEXT_START), CTL_EXIT_DRIVER);
    CHECK_EQ(ctl_exit_code(1275, CTL_CONTEXT_START), CTL_EXIT_DRIVER);
    CHECK_EQ(ctl_exit_code(193, CTL_CONTEXT_START), CTL_EXIT_DRIVER);

    /* Not found, in each context, means something different. */
    CHECK(hint_says(2, CTL_CONTEXT_SERVICE, "check the path"));
    CHECK(hint_says(2, CTL_CONTEXT_DEVICE, "minwdmctl start"));
    CHECK(hint_says(2, CTL_CONTEXT_START, "install"));
    CHECK(hint_says(3, CTL_CONTEXT_SERVICE, "folder"));
    for (int c = 0; c < 3; c++) {
        CHECK_EQ(ctl_exit_code(2, any[c]), CTL_EXIT_NOT_FOUND);
        CHECK_EQ(ctl_exit_code(3, any[c]), CTL_EXIT_NOT_FOUND);
        CHECK_EQ(ctl_exit_code(1060, any[c]), CTL_EXIT_NOT_FOUND);
    }

    /* 87 is a bad command line for the service manager, a refused request for the device, and
     * DriverEntry's translated status at start. */
    CHECK(hint_says(87, CTL_CONTEXT_SERVICE, "command line"));
    CHECK(hint_says(87, CTL_CONTEXT_DEVICE, "refused the request"));
    CHECK(hint_says(87, CTL_CONTEXT_START, "DriverEntry"));
    CHECK_EQ(ctl_exit_code(87, CTL_CONTEXT_SERVICE), CTL_EXIT_FAILED);
    CHECK_EQ(ctl_exit_code(87, CTL_CONTEXT_DEVICE), CTL_EXIT_DRIVER);

    /* The service manager's own errors. */
    CHECK(hint_says(1056, CTL_CONTEXT_START, "already runs"));
    CHECK(hint_says(1058, CTL_CONTEXT_START, "disabled"));
    CHECK(hint_says(1060, CTL_CONTEXT_SERVICE, "minwdmctl install"));
    CHECK(hint_says(1062, CTL_CONTEXT_SERVICE, "not running"));
    CHECK(hint_says(1072, CTL_CONTEXT_SERVICE, "marked for deletion"));
    CHECK(hint_says(1073, CTL_CONTEXT_SERVICE, "already installed"));
    CHECK(hint_says(1053, CTL_CONTEXT_START, "DriverEntry did not return in time"));
    CHECK(hint_says(1053, CTL_CONTEXT_SERVICE, "unload routine"));
    CHECK(hint_says(1052, CTL_CONTEXT_SERVICE, "no unload routine"));
    CHECK_EQ(ctl_exit_code(1052, CTL_CONTEXT_SERVICE), CTL_EXIT_DRIVER);
    CHECK_EQ(ctl_exit_code(1072, CTL_CONTEXT_SERVICE), CTL_EXIT_FAILED);

    /* DriverEntry failures and device requests. */
    CHECK(hint_says(183, CTL_CONTEXT_START, "another service name"));
    CHECK(hint_says(1450, CTL_CONTEXT_START, "out of memory"));
    CHECK(hint_says(12345, CTL_CONTEXT_START, "DriverEntry failed"));
    CHECK_EQ(ctl_exit_code(12345, CTL_CONTEXT_START), CTL_EXIT_DRIVER);
    CHECK_EQ(ctl_hint(12345, CTL_CONTEXT_SERVICE), NULL);
    CHECK_EQ(ctl_exit_code(12345, CTL_CONTEXT_SERVICE), CTL_EXIT_FAILED);
    CHECK(hint_says(1, CTL_CONTEXT_DEVICE, "same build"));
    CHECK(hint_says(122, CTL_CONTEXT_DEVICE, "--out-size"));
    return check_done("test_ctl_hints");
}
