/*
 * Global objects of a C++ driver. Both compilers put a pointer to each file's constructor
 * function in .ctors and register destructors with atexit() (GCC's mingw targets do not use
 * .init_array); both linkers, lld and GNU ld, lay .ctors out for mingw as __CTOR_LIST__: -1, the
 * pointers, 0 (and .dtors as __DTOR_LIST__, empty in practice). A driver has no CRT to walk them:
 * the runtime's entry point (or minwdm_cxx_entry without the runtime) calls these functions
 * before DriverEntry and after DriverUnload. They cost nothing in a C driver: empty lists.
 */
#include "cxx.h"

typedef void (*cxx_function)(void);

/* The linkers' __CTOR_LIST__ and __DTOR_LIST__, under names that are not reserved. */
extern cxx_function ctor_list[] __asm__("__CTOR_LIST__");
extern cxx_function dtor_list[] __asm__("__DTOR_LIST__");

/* Destructors registered by atexit: globals' during construction, function-local statics' at
 * their first use, from any thread; run last registered first. A node each, so that a C driver
 * pays nothing. */
struct exit_node {
    struct exit_node *next;
    cxx_function function;
};
static struct exit_node *volatile exit_list;
static BOOLEAN constructed;

int atexit(cxx_function function)
{
    static const struct mem_site site = {"atexit", 0};
    struct exit_node *node = minwdm_cxx_alloc(sizeof(*node), 0, &site);

    if (!node) {
        DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL,
                   "minwdm: no memory to register a C++ destructor: its object is not destroyed\n");
        return -1;
    }
    node->function = function;
    do
        node->next = exit_list;
    while (InterlockedCompareExchangePointer((PVOID volatile *)&exit_list, node, node->next) !=
           node->next);
    return 0;
}

MINWDM_INIT_CODE void minwdm_cxx_construct(void)
{
    ULONG count = 0;

    if (constructed)
        return;
    constructed = TRUE;
    /* The first entry is -1 (or a count); the list ends with 0. Called last to first, as
     * mingw-w64's CRT does. */
    while (ctor_list[count + 1])
        count++;
    for (ULONG i = count; i >= 1; i--)
        ctor_list[i]();
}

MINWDM_PAGED_CODE void minwdm_cxx_destroy(void)
{
    struct exit_node *node;

    if (!constructed)
        return;
    while ((node = exit_list) != NULL) {
        exit_list = node->next;
        node->function();
        minwdm_cxx_free(node, 0);
    }
    for (ULONG i = 1; dtor_list[i]; i++)
        dtor_list[i]();
    constructed = FALSE;
}
