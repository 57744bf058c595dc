/* Names of the NTSTATUS values a driver developer meets most, for logs and error messages. The
 * driver compiles only the few it uses (MINWDM_NTSTATUS_DRIVER_NAMES_ONLY). */
#ifndef MINWDM_CORE_NTSTATUS_NAMES_H
#define MINWDM_CORE_NTSTATUS_NAMES_H

#include <stdint.h>

/* "STATUS_INVALID_PARAMETER" for 0xC000000D; NULL for a value not in the table. */
const char *minwdm_ntstatus_name(int32_t status);

/* The name, or the value in hex ("0xC0DEC0DE"), written into hex. */
const char *minwdm_ntstatus_text(int32_t status, char hex[11]);

#endif
