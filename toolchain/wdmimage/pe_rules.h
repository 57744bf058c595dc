/* The rules a Windows x64 kernel driver image must follow, checked and, where possible, fixed. */
#ifndef WDMIMAGE_PE_RULES_H
#define WDMIMAGE_PE_RULES_H

#include "pe_image.h"

enum pe_rule {
    PE_RULE_FORMAT,
    PE_RULE_ALIGNMENT,
    PE_RULE_NX_DYNAMIC_BASE,
    PE_RULE_RELOCATIONS,
    PE_RULE_EXPORTS,
    PE_RULE_WRITE_EXECUTE,
    PE_RULE_INIT_DISCARDABLE,
    PE_RULE_IMPORTS,
    PE_RULE_IAT,
    PE_RULE_UNWIND,
    PE_RULE_LEFTOVERS,
    PE_RULE_DEBUG_INFO,
    PE_RULE_CHECKSUM,
    PE_RULE_PAGING,
    PE_RULE_SIGNATURE,
    PE_RULE_HEADER,
    PE_RULE_COUNT
};

struct pe_policy {
    int allow_exports;
    const char *const *extra_imports; /* modules allowed besides ntoskrnl.exe and hal.dll */
    unsigned extra_import_count;
    int require_signature; /* the image must be signed (a signature is checked either way) */
};

/* Called once per finding (check) or per change made (fix). */
typedef void (*pe_report_fn)(void *context, enum pe_rule rule, const char *message);

const char *pe_rule_name(enum pe_rule rule);
const char *pe_rule_reason(enum pe_rule rule);

/* Returns the number of findings; 0 means the image follows every rule. */
unsigned pe_check(const struct pe_image *image, const struct pe_policy *policy,
                  pe_report_fn report, void *context);

/* Repairs what can be repaired (reporting each change), then checks: returns what remains.
 * A signed image is refused (one finding) since any change would break its signature. */
unsigned pe_fix(struct pe_image *image, const struct pe_policy *policy, pe_report_fn changed,
                void *changed_context, pe_report_fn remaining, void *remaining_context);

/* A warning, not a rule: whether the image imports a routine that Windows refuses
 * (STATUS_ACCESS_DENIED) to an image without FORCE_INTEGRITY in its DllCharacteristics
 * (/INTEGRITYCHECK, add_wdm_driver's INTEGRITY_CHECK), and lacks it. Returns 1 and the first such
 * import in name (size bytes), else 0. */
int pe_integrity_check_missing(const struct pe_image *image, char *name, size_t size);

#endif
