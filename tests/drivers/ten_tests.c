/* A RUNTIME driver with ten kernel tests (one add_wdm_test run of it is bench/test_run's unit):
 * each allocates, checks and frees a little, as typical unit tests do. */
#include <minwdm/runtime.h>
#include <minwdm/test.h>

#define TAG MEM_TAG('T', 'e', 'n', 'T')

static DRIVER_UNLOAD ten_unload;

static void ten_unload(PDRIVER_OBJECT driver)
{
    (void)driver;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    (void)registry_path;
    driver->DriverUnload = ten_unload;
    return STATUS_SUCCESS;
}

static void round_trip(struct minwdm_test_context *minwdm_t, size_t size)
{
    unsigned char *p = POOL_ALLOC(size, TAG);

    if (!minwdm_check_true(minwdm_t, p != NULL, "p != NULL", __FILE__, __LINE__))
        return;
    EXPECT_EQ(p[size - 1], 0); /* zeroed */
    p[size - 1] = 1;
    POOL_FREE(p, TAG);
}

MINWDM_TEST(t01) { round_trip(minwdm_t, 1); }
MINWDM_TEST(t02) { round_trip(minwdm_t, 16); }
MINWDM_TEST(t03) { round_trip(minwdm_t, 64); }
MINWDM_TEST(t04) { round_trip(minwdm_t, 100); }
MINWDM_TEST(t05) { round_trip(minwdm_t, 256); }
MINWDM_TEST(t06) { round_trip(minwdm_t, 1000); }
MINWDM_TEST(t07) { round_trip(minwdm_t, 2048); }
MINWDM_TEST(t08) { round_trip(minwdm_t, 4096); }
MINWDM_TEST(t09) { round_trip(minwdm_t, 10000); }
MINWDM_TEST(t10) { EXPECT_STATUS(STATUS_SUCCESS, STATUS_SUCCESS); }
