/* NTSTATUS names: known values named, unknown ones NULL, every name spelled STATUS_*. */
#include <string.h>

#include "check.h"
#include <minwdm/ntstatus_names.h>

int main(void)
{
    CHECK_EQ(strcmp(minwdm_ntstatus_name(0), "STATUS_SUCCESS"), 0);
    CHECK_EQ(strcmp(minwdm_ntstatus_name((int32_t)0xC000000Du), "STATUS_INVALID_PARAMETER"), 0);
    CHECK_EQ(strcmp(minwdm_ntstatus_name((int32_t)0xC0000035u), "STATUS_OBJECT_NAME_COLLISION"), 0);
    CHECK(strcmp(minwdm_ntstatus_name((int32_t)0xC000009Au), "STATUS_INSUFFICIENT_RESOURCES") ==
          0);
    CHECK_EQ(strcmp(minwdm_ntstatus_name((int32_t)0x80000005u), "STATUS_BUFFER_OVERFLOW"), 0);
    CHECK_EQ(minwdm_ntstatus_name((int32_t)0xC0DEC0DEu), NULL);
    CHECK_EQ(minwdm_ntstatus_name(1), NULL);
    return check_done("test_ntstatus_names");
}
