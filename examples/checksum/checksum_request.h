/* The request, apart from the IRP: what the kernel tests call directly. */
#ifndef CHECKSUM_REQUEST_H
#define CHECKSUM_REQUEST_H

#include <ntddk.h>

/* One METHOD_BUFFERED request: buffer holds the input, then the output. */
NTSTATUS checksum_request(ULONG code, void *buffer, ULONG input_length, ULONG output_length,
                          ULONG *written);

#endif
