/*
 * The pnp example's kernel tests. add_wdm_test (CMakeLists.txt) installs the test build's own
 * package on a root device node first, as a user installs the driver (minwdmctl install-device):
 * the tests run with the device added and started, and the client after them finds it.
 */
#include <minwdm/runtime.h>
#include <minwdm/test.h>

#include "pnp.h"

MINWDM_TEST(one_device_started)
{
    EXPECT_EQ(pnp_started_devices(), 1);
}

MINWDM_TEST(interface_enabled)
{
    static const GUID interface_guid = PNP_EXAMPLE_INTERFACE_INIT;
    PWSTR links = NULL;
    unsigned count = 0;

    /* Flags 0: enabled interfaces only (START_DEVICE enabled it). */
    NTSTATUS status = IoGetDeviceInterfaces(&interface_guid, NULL, 0, &links);
    if (status == STATUS_NOT_IMPLEMENTED)
        SKIP("IoGetDeviceInterfaces is a stub here (Wine 8): the client finds the interface");
    ASSERT_STATUS(status, STATUS_SUCCESS);
    for (PWSTR c = links; c && *c; c++) /* a list of strings, an empty one last */
        if (c[1] == L'\0') {
            count++;
            c++;
        }
    EXPECT_EQ(count, 1);
    if (links)
        ExFreePool(links);
}
