/*
 * cpp: a C++ driver on minwdm's runtime. A global object whose constructor and destructor log
 * (the runtime constructs it before DriverEntry, destroys it after cpp_unload), a small class
 * hierarchy called through its base, and new/delete in every common form over the runtime's
 * allocator, which counts each block and reports any left at unload. C++ in the kernel here:
 * no exceptions, no RTTI (typeid, dynamic_cast), no thread-safe statics; the compiler refuses
 * them. docs/wdk.md says how to build it.
 */
#include <minwdm/cxx.h>

namespace {

/* Lives from before DriverEntry until after the driver's unload. */
class Lifetime {
public:
    Lifetime() { LOG_INFO("global object constructed"); }
    ~Lifetime() { LOG_INFO("global object destroyed"); }
};

Lifetime lifetime;

class Shape {
public:
    virtual ~Shape() = default;
    virtual unsigned area() const = 0;
    virtual const char *name() const = 0;
};

class Rectangle : public Shape {
public:
    Rectangle(unsigned width, unsigned height) : width_(width), height_(height) {}
    unsigned area() const override { return width_ * height_; }
    const char *name() const override { return "rectangle"; }

private:
    unsigned width_, height_;
};

class Square final : public Rectangle {
public:
    explicit Square(unsigned side) : Rectangle(side, side) {}
    const char *name() const override { return "square"; }
};

/* Over-aligned: operator new(size_t, align_val_t). */
struct alignas(64) CacheLine {
    unsigned char bytes[64];
};

/* Every allocation here can fail: the nothrow and MINWDM_NEW forms give NULL, checked before a
 * constructor runs (plain new is checked only where the compiler has -fcheck-new). */
NTSTATUS exercise()
{
    Shape *shapes[2] = {MINWDM_NEW Rectangle(3, 4), new (std::nothrow) Square(5)};
    unsigned *numbers = new (std::nothrow) unsigned[16];
    CacheLine *line = new (std::nothrow) CacheLine;
    NTSTATUS status = STATUS_INSUFFICIENT_RESOURCES;

    if (shapes[0] && shapes[1] && numbers && line) {
        for (Shape *shape : shapes) /* a virtual call through the base class */
            LOG_INFO("%s of area %u", shape->name(), shape->area());
        LOG_INFO("array of 16 zeroed: %u, 64-byte line aligned: %d", numbers[15],
                 (reinterpret_cast<ULONG_PTR>(line) & 63) == 0);
        status = STATUS_SUCCESS;
    }
    delete line;
    delete[] numbers;
    for (Shape *shape : shapes)
        delete shape; /* the virtual destructor */
    return status;
}

DRIVER_UNLOAD cpp_unload;

MINWDM_PAGED_CODE void cpp_unload(PDRIVER_OBJECT)
{
    LOG_INFO("unloading");
}

} // namespace

MINWDM_INIT_CODE NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING)
{
    NTSTATUS status = exercise();

    if (!NT_SUCCESS(status))
        return status;
    driver->DriverUnload = cpp_unload;
    return STATUS_SUCCESS;
}
