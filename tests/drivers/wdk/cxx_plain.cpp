/*
 * cxx_plain: a C++ driver without the runtime (no RUNTIME): the kit's C++ entry point
 * (src/runtime/cxx/entry.c) constructs its global object before DriverEntry and destroys it after
 * DriverUnload; operator new comes from nonpaged pool. The order shows in the debug output,
 * which tests/wine/wdk.sh reads.
 * Like many WDK drivers, it defines operator new with a pool type and tag and its own sized
 * operator delete: it links (the kit's operators are one per archive member) and its own delete
 * is the one `delete` calls (sized deallocation, as with MSVC).
 */
#include <ntddk.h>

#include <new>

#define say(text) DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "cxx_plain: %s\n", text)

namespace {

class Witness {
public:
    Witness() : alive_(true) { say("global constructed"); }
    ~Witness() { say("global destroyed"); }
    bool alive() const { return alive_; }

private:
    bool alive_;
};

Witness witness;

struct Counter {
    virtual ~Counter() = default;
    virtual int next() = 0;
};

struct ByTwo final : Counter {
    int value = 0;
    int next() override { return value += 2; }
};

} // namespace

static int own_deletes;

void *__cdecl operator new(size_t size, POOL_TYPE pool, ULONG tag)
{
    void *block = ExAllocatePoolWithTag(pool, size, tag);

    if (block)
        RtlZeroMemory(block, size);
    return block;
}

void __cdecl operator delete(void *block, size_t)
{
    own_deletes++;
    ExFreePool(block);
}

static DRIVER_UNLOAD unload;

static void unload(PDRIVER_OBJECT)
{
    say("DriverUnload");
}

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING)
{
    Counter *counter = new (std::nothrow) ByTwo;

    if (!counter)
        return STATUS_INSUFFICIENT_RESOURCES;
    counter->next();
    int value = counter->next(); /* a virtual call: 4 */
    delete counter;
    ByTwo *tagged = new (NonPagedPoolNx, 'tsTC') ByTwo;
    if (!tagged)
        return STATUS_INSUFFICIENT_RESOURCES;
    value += tagged->next();
    delete tagged;
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL,
               "cxx_plain: DriverEntry: global %s, virtual call gave %d, own sized delete %d times\n",
               witness.alive() ? "alive" : "not constructed", value, own_deletes);
    driver->DriverUnload = unload;
    return STATUS_SUCCESS;
}
