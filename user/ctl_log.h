/* The driver's log, read from its device or from what it left under its service key when it
 * stopped. Nothing here prints. Answers are checked record by record before anyone reads them. */
#ifndef MINWDMCTL_LOG_H
#define MINWDMCTL_LOG_H

#include <minwdm/ioctl.h>
#include <windows.h>

/* Enough for any batch: the driver's ring is 32 KiB. */
#define CTL_LOG_BUFFER_SIZE (64u * 1024u)

struct ctl_log_batch {
    struct minwdm_log_batch header;
    const BYTE *records; /* header.bytes of checked records */
};

/* IOCTL_MINWDM_CONTROL_READ_LOG: the records after `after` into buffer (size >= MINWDM_LOG_READ_MIN).
 * Returns the driver's NTSTATUS, or STATUS_INFO_LENGTH_MISMATCH for a malformed answer. */
LONG ctl_log_read(HANDLE device, uint64_t after, void *buffer, DWORD size,
                  struct ctl_log_batch *batch);

/* The log a minwdm driver left in its service key when it last stopped or failed to start:
 * ERROR_SUCCESS, ERROR_FILE_NOT_FOUND when there is none, ERROR_INVALID_DATA when malformed. */
DWORD ctl_log_read_saved(const WCHAR *service, void *buffer, DWORD size,
                         struct ctl_log_batch *batch);

/* The records of a batch in turn: *offset starts at 0; NULL after the last. */
const struct minwdm_log_record *ctl_log_next(const struct ctl_log_batch *batch, DWORD *offset,
                                             const char **text);

/* Checks a batch as the driver (or the registry) gave it, length bytes at data: a header, then
 * exactly header.count whole records filling header.bytes. FALSE when it is malformed. */
BOOL ctl_log_parse(const void *data, DWORD length, struct ctl_log_batch *batch);

#endif
