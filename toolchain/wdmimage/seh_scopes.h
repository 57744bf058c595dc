/* The scope tables of structured exception handling (__try) in an x64 image's unwind data. */
#ifndef WDMIMAGE_SEH_SCOPES_H
#define WDMIMAGE_SEH_SCOPES_H

#include <stddef.h>
#include <stdint.h>

#include "pe_image.h"

/*
 * The function [begin, end) whose unwind information is at unwind: when its exception handler
 * is __C_specific_handler (what compilers name for __try/__except/__finally), its scope table
 * must protect something (at least one entry) and every entry must lie inside the function.
 * A handler with an empty table is a __try the compiler did not protect: clang 14, asked for
 * asynchronous exceptions, names the handler and leaves the table empty when the body has no
 * call. Returns 1 and a message when the function breaks that rule, else 0.
 */
int seh_scope_problem(const struct pe_image *image, uint32_t begin, uint32_t end, uint32_t unwind,
                      char *message, size_t size);

#endif
