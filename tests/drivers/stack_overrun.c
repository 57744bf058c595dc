/* A driver whose kernel test overruns a stack buffer (stack_overrun_test.c): the stack cookie
 * of the function that overran must end the run, named (tests/wine/stack_cookie.sh). */
#include <minwdm/runtime.h>

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    (void)driver;
    (void)registry_path;
    return STATUS_SUCCESS;
}
