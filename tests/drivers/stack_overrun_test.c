/* The stack cookie's guard is set, and the planted stack buffer overrun (copy_name writes 32
 * bytes into a 16-byte array) ends the run. */
#include <minwdm/runtime.h>
#include <minwdm/stack_cookie.h>
#include <minwdm/test.h>

/* Read at run time: the compiler cannot see the overrun coming. */
static volatile ULONG copy_length = 32;

static __attribute__((noinline)) ULONG copy_name(const char *name)
{
    char buffer[16];
    ULONG i, sum = 0;

    for (i = 0; i < copy_length; i++)
        buffer[i] = name[i % 4];
    for (i = 0; i < sizeof(buffer); i++)
        sum += (UCHAR)buffer[i];
    return sum;
}

/* First: the entry point replaced the guard's constant with a random value (low byte 0). */
MINWDM_TEST(guard_is_set)
{
    EXPECT_TRUE(__stack_chk_guard != (uintptr_t)MINWDM_STACK_COOKIE_DEFAULT);
    EXPECT_EQ(__stack_chk_guard & 0xFF, 0);
    EXPECT_TRUE(__stack_chk_guard >> 8 != 0);
}

MINWDM_TEST(stack_buffer_overrun)
{
    EXPECT_TRUE(copy_name("abcd") != 0);
}
