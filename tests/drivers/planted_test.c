/* The planted driver's kernel tests: one passes, one fails a comparison, one leaks a block. */
#include <minwdm/runtime.h>
#include <minwdm/test.h>

#include "planted.h"

MINWDM_TEST(passes)
{
    EXPECT_EQ(1 + 1, 2);
}

MINWDM_TEST(fails_eq)
{
    int sum = 1 + 1;

    EXPECT_EQ(sum, 3);
}

MINWDM_TEST(leaks_in_test)
{
    void *block = POOL_ALLOC(64, PLANTED_TAG);

    EXPECT_TRUE(block != NULL);
}
