/* What the runtime's kernel files share; drivers never call these (the entry point does). */
#ifndef MINWDM_RUNTIME_INTERNAL_H
#define MINWDM_RUNTIME_INTERNAL_H

#include <minwdm/runtime.h>

#include "core/control.h"

struct pool_settings {
    ULONG fail_at;     /* make the nth allocation fail (0: never) */
    ULONG strict_irql; /* non-zero: check the IRQL of every nonpaged call, not only paged ones */
    ULONG special_pool; /* enum special_pool_setting: every block in the special pool (Wine) */
};

/* Sets the allocator up (PASSIVE_LEVEL): ExAllocatePool2 when the kernel exports it, else
 * ExAllocatePoolWithTag(NonPagedPoolNx) and explicit zeroing. Allocates nothing. */
void pool_init(const struct pool_settings *settings);

/* An address's offset in the driver's image, as log lines print it (image+0x...): llvm-symbolizer
 * --relative-address names its line. */
unsigned long long runtime_image_offset(const void *address);

/* Fault injection's countdown (fail-alloc, AllocFailAt): 1 when this allocation must fail. The
 * verifier asks it for every pool routine of a verified driver. */
int pool_inject_failure(void);

/* Reports and frees every block still out (leaks); returns their number. PASSIVE_LEVEL. */
ULONG64 pool_shutdown(void);

/* Starts the log (PASSIVE_LEVEL): lines begin with `name`; LogLevel and LogDetails of the
 * service key set the level and the optional parts of each line. */
void kernel_log_start(const char *name, PUNICODE_STRING registry_path);

/* Leaves the log in the MINWDM_SAVED_LOG_VALUE of service_key (PASSIVE_LEVEL; nothing when the
 * key is empty). Best effort. */
void kernel_log_save(PUNICODE_STRING service_key);

/* kernel_log_save of the driver's own service key: the exception guard's, before it bug-checks
 * (PASSIVE_LEVEL), so that a driver host that dies keeps its log (minwdmctl prints it). */
void runtime_save_log(void);

/* In a release build: kernel addresses in the log become keyed hashes (minwdm_log_address). */
void kernel_log_hide_addresses(void);

/* The control device \Device\minwdm.<service>, admins only; routes every other IRP to the
 * driver's own dispatch routines. */
NTSTATUS control_device_create(PDRIVER_OBJECT driver, PCUNICODE_STRING service,
                               const struct runtime_control *control);
void control_device_route(PDRIVER_OBJECT driver);
void control_device_unroute(void);
void control_device_delete(void);

/* A verified build's verifier (src/verifier), set by it before anything else runs; NULL in a
 * driver built without it. The runtime reads the IRQL, routes the driver's IRPs and checks the
 * unload through it, and its allocator takes blocks from the real pool routines. */
struct runtime_verifier {
    KIRQL (*irql)(void);
    NTSTATUS (*dispatch)(PDRIVER_DISPATCH dispatch, PDEVICE_OBJECT device, PIRP irp);
    void (*irp_arrived)(PIRP irp);
    void (*unload_check)(void);
    PVOID(NTAPI *pool_alloc)(POOL_TYPE type, SIZE_T size, ULONG tag);
    VOID(NTAPI *pool_free)(PVOID block, ULONG tag);
    PVOID(NTAPI *pool_alloc2)(POOL_FLAGS flags, SIZE_T size, ULONG tag);
};
extern const struct runtime_verifier *runtime_verifier;

/* The IRQL as the runtime's checks see it: the verifier's virtual one in a verified build. */
KIRQL runtime_irql(void);

#endif
