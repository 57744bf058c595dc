/* The NTSTATUS values the portable core returns, spelled out so that it needs no DDK header. */
#ifndef MINWDM_CORE_STATUS_H
#define MINWDM_CORE_STATUS_H

#include <stdint.h>

typedef int32_t minwdm_status;

#define MINWDM_STATUS(value) ((minwdm_status)(uint32_t)(value))
#define MINWDM_STATUS_SUCCESS MINWDM_STATUS(0x00000000u)
#define MINWDM_STATUS_INVALID_PARAMETER MINWDM_STATUS(0xC000000Du)
#define MINWDM_STATUS_INVALID_DEVICE_REQUEST MINWDM_STATUS(0xC0000010u)
#define MINWDM_STATUS_BUFFER_TOO_SMALL MINWDM_STATUS(0xC0000023u)

#define MINWDM_SUCCESS(status) ((status) >= 0)

#endif
