/* ioctl: a raw request, its code by number or by any IOCTL_ name of the contract. */
#include <stdio.h>

#include "cli.h"
#include "cli_help.h"
#include "ctl_contract.h"
#include "ctl_error.h"

static void print_json(uint32_t code, const struct cli_request *r)
{
    const char *name = ctl_code_name(code);
    char status[96];
    const BYTE *out = r->output;

    ctl_ntstatus_text(r->status, status, sizeof(status));
    printf("{\"code\": \"0x%08lX\", \"name\": ", (unsigned long)code);
    if (name)
        cli_json_string(name);
    else
        printf("null");
    printf(", \"status\": ");
    cli_json_string(status);
    printf(", \"returned\": %lu, \"output\": \"", (unsigned long)r->returned);
    for (DWORD i = 0; i < r->returned; i++)
        printf("%02x", out[i]);
    printf("\"}\n");
}

int cli_ioctl(const struct cli_options *o)
{
    static BYTE input[CLI_MAX_IO_SIZE], output[CLI_MAX_IO_SIZE];
    char text[96];
    uint32_t code;
    long in_length = 0;

    if (cli_parse_code(o->args[0], &code))
        return CTL_EXIT_USAGE;
    if (o->in_hex && (in_length = cli_parse_hex(o->in_hex, input, sizeof(input))) < 0) {
        fprintf(stderr, "minwdmctl: ioctl: --in wants hex bytes (e.g. \"68 69\"), at most 1 MiB\n");
        return CTL_EXIT_USAGE;
    }
    struct cli_request r = {.code = code, .input = in_length ? input : NULL,
                            .input_length = (DWORD)in_length,
                            .output = o->out_size ? output : NULL,
                            .output_length = o->out_size};
    BOOL ok = cli_send(o, &r);
    if (o->json && r.open_error == ERROR_SUCCESS)
        print_json(code, &r);
    if (!ok)
        return cli_report_request(o, &r);
    if (!o->json) {
        ctl_ntstatus_text(r.status, text, sizeof(text));
        printf("status %s, %lu bytes returned\n", text, (unsigned long)r.returned);
        cli_hex_dump(output, r.returned);
    }
    return CTL_EXIT_OK;
}
