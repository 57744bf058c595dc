/*
 * Wine's dbghelp, which winedbg uses for crash backtraces, finds a driver's symbols from its
 * image alone: the PDB beside it through the CodeView record (clang), the DWARF of the .debug
 * file beside it through .gnu_debuglink, named in the COFF string table (GCC).
 *   symbols_client <driver.sys> <source file DriverEntry is written in, e.g. driver.c>
 *                  [<the entry point's function>: DriverEntry, or minwdm_runtime_entry for a
 *                  RUNTIME driver]
 * Every check prints what it found against what it wanted.
 */
#include <windows.h>

#include <dbghelp.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

/* AddressOfEntryPoint, read from the file's headers (0 when it cannot be read). */
static DWORD entry_point_of(const char *path)
{
    unsigned char headers[4096];
    FILE *f = fopen(path, "rb");
    size_t size = f ? fread(headers, 1, sizeof(headers), f) : 0;
    DWORD pe = 0, entry = 0;

    if (f)
        fclose(f);
    if (size >= 0x40)
        memcpy(&pe, headers + 0x3C, sizeof(pe));
    /* "PE\0\0", the 20-byte file header, then the optional header: its entry point at +16 */
    if (pe && (size_t)pe + 4 + 20 + 20 <= size)
        memcpy(&entry, headers + pe + 4 + 20 + 16, sizeof(entry));
    return entry;
}

static void check_symbols(HANDLE process, DWORD64 base, DWORD entry, const char *source,
                          const char *entry_name)
{
    char buffer[sizeof(SYMBOL_INFO) + MAX_SYM_NAME];
    SYMBOL_INFO *symbol = (SYMBOL_INFO *)buffer;
    IMAGEHLP_MODULE64 module = {.SizeOfStruct = sizeof(module)};
    IMAGEHLP_LINE64 line = {.SizeOfStruct = sizeof(line)};
    DWORD displacement = 0;

    CHECK(SymGetModuleInfo64(process, base, &module));
    printf("symbols: type %d (3: PDB, 7: DWARF), line numbers %d, PDB '%s'\n",
           (int)module.SymType, (int)module.LineNumbers, module.LoadedPdbName);
    CHECK(module.SymType == SymPdb || module.SymType == SymDia);
    CHECK(module.LineNumbers);

    memset(buffer, 0, sizeof(buffer));
    symbol->SizeOfStruct = sizeof(SYMBOL_INFO);
    symbol->MaxNameLen = MAX_SYM_NAME;
    BOOL found = SymFromName(process, entry_name, symbol);
    printf("%s: %s at 0x%llx, entry point 0x%llx\n", entry_name, found ? "found" : "not found",
           (unsigned long long)symbol->Address, (unsigned long long)(base + entry));
    CHECK(found && symbol->Address == base + entry);

    found = SymFromName(process, "DriverEntry", symbol);
    BOOL has_line = found && SymGetLineFromAddr64(process, symbol->Address, &displacement, &line);
    printf("DriverEntry's line: %s:%lu, wanted a line of %s\n",
           has_line ? line.FileName : "(none)", has_line ? line.LineNumber : 0ul, source);
    CHECK(has_line && strstr(line.FileName, source) != NULL && line.LineNumber > 0);
}

int main(int argc, char **argv)
{
    HANDLE process = GetCurrentProcess();

    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: symbols_client <driver.sys> <source file name> [<entry function>]\n");
        return 2;
    }
    DWORD entry = entry_point_of(argv[1]);
    SymSetOptions(SYMOPT_LOAD_LINES | SYMOPT_FAIL_CRITICAL_ERRORS);
    CHECK(SymInitialize(process, NULL, FALSE));
    DWORD64 base = SymLoadModuleEx(process, NULL, argv[1], NULL, 0, 0, NULL, 0);
    printf("%s: loaded at 0x%llx, entry point +0x%lx\n", argv[1], (unsigned long long)base,
           (unsigned long)entry);
    CHECK(base != 0 && entry != 0);
    if (base && entry)
        check_symbols(process, base, entry, argv[2], argc == 4 ? argv[3] : "DriverEntry");
    SymCleanup(process);
    return check_done("symbols_client");
}
