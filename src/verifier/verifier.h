/*
 * The verifier inside a verified driver (docs/verifier.md): what its files share, and what the
 * runtime's entry point calls. It is linked only into verified images (add_wdm_test,
 * add_wdm_driver(... VERIFY)); the runtime reaches it through the hooks of runtime_internal.h.
 */
#ifndef MINWDM_VERIFIER_INTERNAL_H
#define MINWDM_VERIFIER_INTERNAL_H

#include <ntifs.h>
#include <string.h>

#include <minwdm/format.h>

#include "../runtime/runtime_internal.h"

enum vfy_rule {
    RULE_IRQL, RULE_PAGED_CODE, RULE_IRQL_NOT_RESTORED,
    RULE_POOL_LEAK, RULE_POOL_DOUBLE_FREE, RULE_POOL_TAG, RULE_POOL_EXECUTABLE,
    RULE_POOL_OVERRUN, RULE_POOL_USE_AFTER_FREE,
    RULE_LOCK_HELD_ON_RETURN, RULE_LOCK_RECURSIVE, RULE_LOCK_NOT_OWNER, RULE_LOCK_ORDER,
    RULE_IRP_PENDING_UNMARKED, RULE_IRP_COMPLETED_TWICE, RULE_IRP_STATUS_MISMATCH,
    RULE_IRP_INFORMATION, RULE_IRP_LOST, RULE_IRP_COMPLETED_PENDING,
    RULE_UNLOAD_CALLBACK, RULE_UNLOAD_TIMER, RULE_UNLOAD_WORKITEM, RULE_UNLOAD_THREAD,
    RULE_UNLOAD_DEVICE, RULE_UNLOAD_SYMLINK, RULE_UNLOAD_MDL, RULE_UNLOAD_REFERENCE,
    RULE_UNLOAD_HANDLE, RULE_UNLOAD_IRP,
    RULE_COUNT
};

/* One finding: "verifier: <rule>: <what> (Windows: <what Windows does>) at <driver>.sys+0x<rva>"
 * in the driver's log, the site a return address or routine inside the image (NULL: none). */
void vfy_report(enum vfy_rule rule, const void *site, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
int vfy_rule_on(enum vfy_rule rule);

/* The virtual IRQL of the calling thread. */
KIRQL vfy_irql(void);
void vfy_set_irql(KIRQL irql);
/* irql rule: `routine` called above `maximum`. */
void vfy_check_irql(const char *routine, KIRQL maximum, const void *site);

/* The verifier's own lock (a real spin lock, never tracked). */
KIRQL vfy_lock(void);
void vfy_unlock(KIRQL old);

/* Spin locks and fast mutexes held (locks.c). */
enum vfy_lock_kind { LOCK_SPIN, LOCK_QUEUED, LOCK_MUTEX, LOCK_CANCEL };
/* Before acquiring: 0 to go ahead, 1 when the caller already holds it (reported: skip the call). */
int vfy_lock_acquiring(const void *lock, enum vfy_lock_kind kind, const void *handle, KIRQL old,
                       const void *site);
/* Before releasing: 1 to go ahead, 0 to skip (a recursive acquisition's release, or not held);
 * *old receives the IRQL the lock was taken at. */
int vfy_lock_releasing(const void *lock_or_handle, int by_handle, KIRQL new_irql, int check_irql,
                       KIRQL *old, const void *site);
/* A mark to give vfy_locks_check_return: the locks taken from now on. */
ULONG vfy_lock_mark(void);
/* lock-held-on-return: locks the thread took after `mark` and still holds; released. */
void vfy_locks_check_return(ULONG mark, const char *what, const void *routine);

/* After a callback of the driver: irql-not-restored and lock-held-on-return (callbacks.c). */
void vfy_judge_return(const char *what, const void *routine, KIRQL called_at, ULONG mark);

/* Pool (pool.c). */
void vfy_pool_check_unload(void);
/* Unload resources (resources.c). */
enum vfy_resource {
    RES_CALLBACK, RES_TIMER, RES_DPC, RES_WORKITEM, RES_WORKITEM_QUEUED, RES_THREAD,
    RES_DEVICE, RES_SYMLINK, RES_MDL, RES_REFERENCE, RES_HANDLE, RES_KINDS
};
void vfy_resource_add(enum vfy_resource kind, const void *key, const void *extra,
                      const UNICODE_STRING *name, const void *site);
int vfy_resource_remove(enum vfy_resource kind, const void *key, const UNICODE_STRING *name);
/* References count up and down (RES_REFERENCE). */
void vfy_reference(const void *object, LONG delta, const void *site);
/* A timer's DPC ran (non-periodic timers are then no longer queued). */
void vfy_timer_fired(const void *dpc);
/* KeRemoveQueueDpc as the verifier queues DPCs (callbacks.c): also under Wine. */
BOOLEAN vfy_dpc_dequeue(PRKDPC dpc);
/* Whether the kernel is Wine's (core.c). */
BOOLEAN vfy_on_wine(void);
void vfy_resources_check_unload(void);
/* Process and thread notify routines, called by the verifier under Wine (notify.c): each
 * registration or removal the kernel accepted; at unload, the poller stopped. */
enum vfy_notify_kind { VFY_NOTIFY_PROCESS, VFY_NOTIFY_PROCESS_EX, VFY_NOTIFY_THREAD,
                       VFY_NOTIFY_KINDS };
void vfy_notify_routine(enum vfy_notify_kind kind, PVOID routine, BOOLEAN remove);
void vfy_notify_stop(void);
/* System threads of the driver running: +1 when one starts, -1 when it ends. */
void vfy_thread_running(LONG delta);

/* IRPs (irp.c). */
NTSTATUS vfy_dispatch(PDRIVER_DISPATCH dispatch, PDEVICE_OBJECT device, PIRP irp);
void vfy_irp_arrived(PIRP irp);
/* Before IofCompleteRequest: 1 to pass it on, 0 to skip (completed twice). */
int vfy_irp_completing(PIRP irp, const void *site);
void vfy_irps_check_unload(void);
/* The requests pending now: at most `max` entries; *total receives how many there are. */
unsigned vfy_irps_pending(struct minwdm_pending_irp *entries, unsigned max, uint32_t *total);

/* The pending list in the saved key (pending.c): where it goes (the start hook), its thread
 * started when a request first goes pending (at PASSIVE_LEVEL), stopped at unload. */
void vfy_pending_list_key(PCUNICODE_STRING registry_path);
void vfy_pending_list_start(void);
void vfy_pending_list_stop(void);

/* The wrappers of callbacks (routines.c) and what the pool wrappers share. */
void vfy_routines_start(void);
int vfy_inject_failure(void);
uint64_t vfy_now_100ns(void);

/* The seam where special pool (src/runtime/special_pool.h, another branch) joins: NULL or 0
 * when it does not serve the block; the verifier then uses the real routines. */
void *verifier_pool_backend_alloc(size_t size, ULONG tag, int executable_requested);
int verifier_pool_backend_free(void *block);

#define CALLER() __builtin_return_address(0)

/* The kernel's MmGetSystemRoutineAddress under another name (imports.def). */
__declspec(dllimport) PVOID NTAPI vfy_import_MmGetSystemRoutineAddress(PUNICODE_STRING name);

/* Exported by Windows, not declared by mingw-w64 (<minwdm/ddk_extra.h> declares them too). */
NTKERNELAPI NTSTATUS NTAPI PsGetProcessExitStatus(PEPROCESS Process);
NTKERNELAPI NTSTATUS NTAPI PsGetThreadExitStatus(PETHREAD Thread);

/* The kernel's own routines, found at start (routines.c): vfy_real_<name>. */
#include "routines.h"
#define VFY_REAL_DECLARE(name, irql) extern __typeof__(&name) vfy_real_##name; // NOLINT(bugprone-macro-parentheses)
VERIFIER_ROUTINES(VFY_REAL_DECLARE)
#undef VFY_REAL_DECLARE
/* The verifier's own, of the same types: vfy_<name>. */
#define VFY_WRAPPER_DECLARE(name, irql) extern __typeof__(name) vfy_##name;
VERIFIER_ROUTINES(VFY_WRAPPER_DECLARE)
#undef VFY_WRAPPER_DECLARE
enum {
#define VFY_MAX(name, irql) VFY_MAX_##name = (irql),
    VERIFIER_ROUTINES(VFY_MAX)
#undef VFY_MAX
};
/* irql rule for routine `name` of routines.h, at its maximum from the table. */
#define CHECK_IRQL(name) vfy_check_irql(#name, VFY_MAX_##name, CALLER())
/* A routine this kernel lacks (Wine 8 has no CmRegisterCallbackEx...): the driver would have
 * died at the call without the verifier; it gets `failure` and a warning line instead. */
int vfy_missing(const char *routine, const void *real);
#define NEED_REAL(name, failure)                                         \
    do {                                                                 \
        if (vfy_missing(#name, (const void *)vfy_real_##name))           \
            return failure;                                              \
    } while (0)
void vfy_real_pool(struct runtime_verifier *hooks);
void vfy_report_routine(enum vfy_rule rule, const void *routine, const char *what);
void vfy_restore_irql(KIRQL irql);
/* "<image>.sys+0x<rva>" of a return address (what the Linux side symbolizes). */
const char *vfy_site_name(const void *site, char *buffer, size_t size);
/* Whether an address is inside the driver's image; its offset there (0: outside). */
int vfy_in_image(const void *address);
uint32_t vfy_image_offset(const void *address);
/* Releases a lock the driver left held (lock-held-on-return). */
void vfy_release_for_driver(const void *lock, enum vfy_lock_kind kind, const void *handle,
                            KIRQL old_irql);
void vfy_unload_check(void);
MINWDM_INIT_CODE void minwdm_verifier_start_hook(PUNICODE_STRING registry_path);

#endif
