/* Names of the IRP major function codes, for findings and error messages (portable: no DDK). */
#ifndef MINWDM_CORE_IRP_NAMES_H
#define MINWDM_CORE_IRP_NAMES_H

#include <stdint.h>

/* "IRP_MJ_DEVICE_CONTROL" for 14; "IRP_MJ_?" past IRP_MJ_PNP (27). */
const char *minwdm_irp_major_name(uint8_t major);

#endif
