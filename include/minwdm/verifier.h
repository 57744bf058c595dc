/*
 * The verifier's view of the IRQL in a verified build (add_wdm_test, add_wdm_driver(... VERIFY)):
 * <wdm.h> includes this last when MINWDM_VERIFY is defined. On x64, mingw-w64's KeGetCurrentIrql,
 * KeRaiseIrql, KeLowerIrql and KeRaiseIrqlToDpcLevel are inline CR8 accesses that no import can
 * stand between; here they become calls of the verifier, which keeps a virtual IRQL per thread
 * (Wine's is always PASSIVE_LEVEL) and still raises the real one on Windows. PAGED_CODE() checks
 * it (rule paged-code). docs/verifier.md.
 */
#ifndef MINWDM_VERIFIER_H
#define MINWDM_VERIFIER_H

#ifdef __cplusplus
extern "C" {
#endif

KIRQL minwdm_verifier_irql(void);
KIRQL minwdm_verifier_raise_irql(KIRQL new_irql);
VOID minwdm_verifier_lower_irql(KIRQL new_irql);
VOID minwdm_verifier_paged_code(const char *function, const char *file, int line);

#ifdef __cplusplus
}
#endif

#undef KeGetCurrentIrql
#undef KeRaiseIrql
#undef KfRaiseIrql
#undef KeLowerIrql
#undef KfLowerIrql
#undef KeRaiseIrqlToDpcLevel
#undef PAGED_CODE
#define KeGetCurrentIrql() minwdm_verifier_irql()
#define KfRaiseIrql(irql) minwdm_verifier_raise_irql(irql)
#define KeRaiseIrql(irql, old) (*(old) = minwdm_verifier_raise_irql(irql))
#define KeRaiseIrqlToDpcLevel() minwdm_verifier_raise_irql(DISPATCH_LEVEL)
#define KeLowerIrql(irql) minwdm_verifier_lower_irql(irql)
#define KfLowerIrql(irql) minwdm_verifier_lower_irql(irql)
#define PAGED_CODE() minwdm_verifier_paged_code(__func__, __FILE__, __LINE__)

#endif
