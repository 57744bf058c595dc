#include "cli_findings.h"

#include <stdio.h>
#include <string.h>

#include "ctl_log.h"

static BYTE buffer[CTL_LOG_BUFFER_SIZE];

/* "<driver>: error: verifier: <rule>: ..." or "<driver>: error: memory: ..." (with LogDetails,
 * "<driver>: error [cpu 0 ...]: verifier: ..."): error lines only, the verifier's information
 * lines (special pool's start...) are not findings. */
BOOL findings_line_is_one(const char *line, size_t length)
{
    static const char *const markers[] = {": verifier: ", ": memory: "};
    char copy[MINWDM_LOG_LINE_MAX + 1];
    const char *level;

    snprintf(copy, sizeof(copy), "%.*s", (int)(length < sizeof(copy) ? length : sizeof(copy) - 1),
             line);
    level = strstr(copy, ": error");
    if (!level || (level[7] != ':' && level[7] != ' '))
        return FALSE;
    for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
        const char *marker = strstr(copy, markers[i]);
        if (marker && marker >= level)
            return TRUE;
    }
    return FALSE;
}

unsigned findings_print_saved(const WCHAR *service)
{
    struct ctl_log_batch batch;
    const struct minwdm_log_record *record;
    const char *line;
    DWORD offset = 0;
    unsigned found = 0;

    if (ctl_log_read_saved(service, buffer, sizeof(buffer), &batch) != ERROR_SUCCESS)
        return 0;
    while ((record = ctl_log_next(&batch, &offset, &line)) != NULL) {
        char copy[MINWDM_LOG_LINE_MAX + 1];
        snprintf(copy, sizeof(copy), "%.*s", (int)record->length, line);
        if (!strstr(copy, ": verifier: ") || !findings_line_is_one(line, record->length))
            continue;
        if (!found++)
            printf("the verifier's findings in this load:\n");
        printf("  %s\n", copy);
    }
    return found;
}

uint64_t findings_mark(HANDLE control)
{
    struct ctl_log_batch batch;
    uint64_t after = UINT64_MAX - 1; /* nothing after it: only the header comes back */

    if (control == INVALID_HANDLE_VALUE ||
        ctl_log_read(control, after, buffer, sizeof(buffer), &batch) < 0)
        return 0;
    return batch.header.next_sequence ? batch.header.next_sequence - 1 : 0;
}

unsigned findings_since(HANDLE control, uint64_t *mark, char *text, size_t size)
{
    struct ctl_log_batch batch;
    const struct minwdm_log_record *record;
    const char *line;
    unsigned found = 0;
    size_t used = strlen(text);

    if (control == INVALID_HANDLE_VALUE || !*mark)
        return 0;
    for (int rounds = 0; rounds < 64; rounds++) {
        DWORD offset = 0;
        if (ctl_log_read(control, *mark, buffer, sizeof(buffer), &batch) < 0 || !batch.header.count)
            break;
        while ((record = ctl_log_next(&batch, &offset, &line)) != NULL) {
            *mark = record->sequence;
            if (!findings_line_is_one(line, record->length))
                continue;
            found++;
            if (used + 2 < size)
                used += (size_t)snprintf(text + used, size - used, "%s%.*s", used ? "\n" : "",
                                         (int)record->length, line);
            if (used >= size)
                used = size - 1;
        }
    }
    return found;
}
