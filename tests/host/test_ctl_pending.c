/* minwdmctl's reading of a verified driver's pending list (user/ctl_pending.c): what it accepts
 * from the saved key, and the lines `minwdmctl test` prints when a test or a client hangs. */
#include <string.h>

#include "check.h"
#include "core/irp_names.h"
#include "ctl_pending.h"

static struct ctl_pending_list list;

static size_t size_of(uint32_t count)
{
    return sizeof(list.header) + count * sizeof(list.entries[0]);
}

static void two_requests(void)
{
    memset(&list, 0, sizeof(list));
    list.header = (struct minwdm_pending_irps){MINWDM_CONTROL_ABI_VERSION, 2, 2, 0, 7};
    list.entries[0] = (struct minwdm_pending_irp){.since = 10000000, .dispatch = 0x1a2b,
                                                  .code = 0x8159200a, .major = 14};
    list.entries[1] = (struct minwdm_pending_irp){.since = 25000000, .dispatch = 0x40,
                                                  .major = 3, .cancel_routine = 1};
}

int main(void)
{
    char text[1024] = "";

    two_requests();
    CHECK(ctl_pending_valid(&list, size_of(2), 7));
    CHECK(!ctl_pending_valid(&list, size_of(2), 8));          /* another load's list */
    CHECK(!ctl_pending_valid(&list, size_of(2) - 1, 7));      /* cut */
    CHECK(!ctl_pending_valid(&list, size_of(3), 7));          /* more bytes than entries */
    CHECK(!ctl_pending_valid(&list, sizeof(list.header) - 1, 7));
    list.header.abi_version = MINWDM_CONTROL_ABI_VERSION + 1;
    CHECK(!ctl_pending_valid(&list, size_of(2), 7));
    two_requests();
    list.header.total = 1;                                     /* fewer than it lists */
    CHECK(!ctl_pending_valid(&list, size_of(2), 7));
    list.header.count = list.header.total = MINWDM_PENDING_IRPS_MAX + 1;
    CHECK(!ctl_pending_valid(&list, size_of(MINWDM_PENDING_IRPS_MAX + 1), 7));
    list.header.count = 0;
    list.header.total = 0;
    CHECK(ctl_pending_valid(&list, size_of(0), 7));           /* nothing pending */

    two_requests();
    ctl_pending_lines(&list, 42000000, "mydrv.sys", text, sizeof(text));
    CHECK(strstr(text, "\npending: IRP_MJ_DEVICE_CONTROL 0x8159200a for 3.200 s, with NO cancel "
                       "routine (a process waiting for it cannot end), dispatched to "
                       "mydrv.sys+0x1a2b\n") != NULL);
    CHECK(strstr(text, "\npending: IRP_MJ_READ for 1.700 s, with a cancel routine, dispatched to "
                       "mydrv.sys+0x40") != NULL);
    CHECK(!strstr(text, "more requests"));
    text[0] = '\0';
    list.header.total = 5;
    ctl_pending_lines(&list, 0, "mydrv.sys", text, sizeof(text));
    CHECK(strstr(text, "for 0.000 s") != NULL);              /* a clock behind: no wrap */
    CHECK(strstr(text, "\npending: 3 more requests, not listed") != NULL);
    char small[40] = "";
    ctl_pending_lines(&list, 0, "mydrv.sys", small, sizeof(small));
    CHECK_EQ(strlen(small), sizeof(small) - 1);               /* cut, terminated */
    CHECK_EQ(strcmp(minwdm_irp_major_name(27), "IRP_MJ_PNP"), 0);
    CHECK_EQ(strcmp(minwdm_irp_major_name(28), "IRP_MJ_?"), 0);
    return check_done("ctl_pending");
}
