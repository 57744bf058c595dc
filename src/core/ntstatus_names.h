/* Names of the NTSTATUS values a driver developer meets most, for logs and error messages. */
#ifndef MINWDM_CORE_NTSTATUS_NAMES_H
#define MINWDM_CORE_NTSTATUS_NAMES_H

#include <stdint.h>

/* "STATUS_INVALID_PARAMETER" for 0xC000000D; NULL for a value not in the table. */
const char *minwdm_ntstatus_name(int32_t status);

#endif
