#include "ctl_log.h"

#include <string.h>

#include "ctl_device.h"
#include "ctl_service.h"

#define STATUS_INFO_LENGTH_MISMATCH ((LONG)0xC0000004)

BOOL ctl_log_parse(const void *data, DWORD length, struct ctl_log_batch *batch)
{
    DWORD offset = 0;

    if (length < sizeof(batch->header))
        return FALSE;
    memcpy(&batch->header, data, sizeof(batch->header));
    batch->records = (const BYTE *)data + sizeof(batch->header);
    if (batch->header.bytes != length - sizeof(batch->header))
        return FALSE;
    for (uint32_t i = 0; i < batch->header.count; i++) {
        struct minwdm_log_record r;
        if (batch->header.bytes - offset < sizeof(r))
            return FALSE;
        memcpy(&r, batch->records + offset, sizeof(r));
        if (r.length > MINWDM_LOG_LINE_MAX ||
            batch->header.bytes - offset < MINWDM_LOG_RECORD_SIZE(r.length))
            return FALSE;
        offset += MINWDM_LOG_RECORD_SIZE(r.length);
    }
    return offset == batch->header.bytes;
}

LONG ctl_log_read(HANDLE device, uint64_t after, void *buffer, DWORD size,
                  struct ctl_log_batch *batch)
{
    DWORD returned;
    LONG status = ctl_device_request(device, IOCTL_MINWDM_CONTROL_READ_LOG, &after, sizeof(after), buffer,
                                      size, &returned);

    if (status < 0)
        return status;
    return ctl_log_parse(buffer, returned, batch) ? status : STATUS_INFO_LENGTH_MISMATCH;
}

DWORD ctl_log_read_saved(const WCHAR *service, void *buffer, DWORD size,
                         struct ctl_log_batch *batch)
{
    HKEY key = ctl_saved_key(service, KEY_QUERY_VALUE);
    DWORD type, length = size, error;

    if (!key)
        return ERROR_FILE_NOT_FOUND;
    error = RegQueryValueExW(key, MINWDM_SAVED_LOG_VALUE, NULL, &type, buffer, &length);
    RegCloseKey(key);
    if (error != ERROR_SUCCESS)
        return error;
    if (type != REG_BINARY || !ctl_log_parse(buffer, length, batch))
        return ERROR_INVALID_DATA;
    return ERROR_SUCCESS;
}

const struct minwdm_log_record *ctl_log_next(const struct ctl_log_batch *batch, DWORD *offset,
                                             const char **text)
{
    const struct minwdm_log_record *r;

    if (*offset >= batch->header.bytes)
        return NULL;
    r = (const struct minwdm_log_record *)(const void *)(batch->records + *offset);
    *text = (const char *)(r + 1);
    *offset += MINWDM_LOG_RECORD_SIZE(r->length);
    return r;
}
