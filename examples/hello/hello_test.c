/*
 * hello's kernel tests: they run inside the driver (add_wdm_test in CMakeLists.txt), through
 * `minwdmctl test` under Wine on Linux, or in an elevated prompt on a Windows test machine.
 */
#include <minwdm/runtime.h>
#include <minwdm/test.h>

MINWDM_TEST(greeting_fits)
{
    char greeting[64];
    int length = format_string(greeting, sizeof(greeting), "Hello from a driver built on %s",
                               "Linux");

    EXPECT_EQ(length, 34);
    EXPECT_EQ(greeting[length], '\0');
}

MINWDM_TEST(allocations_are_zeroed_and_freed)
{
    unsigned char *block = POOL_ALLOC(100, MEM_TAG('T', 'e', 's', 't'));

    ASSERT_TRUE(block != NULL);
    for (int i = 0; i < 100; i++)
        EXPECT_EQ(block[i], 0);
    POOL_FREE(block, MEM_TAG('T', 'e', 's', 't'));
}

MINWDM_TEST(runs_at_passive_level)
{
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    EXPECT_STATUS(STATUS_SUCCESS, STATUS_SUCCESS);
}
