/* A driver's imports against what an installed Wine implements, read from Wine's own DLLs. */
#ifndef WDMIMAGE_WINE_IMPORTS_H
#define WDMIMAGE_WINE_IMPORTS_H

/* Wine 8 on Debian keeps its PE builtins here; other installations are named on the command
 * line. */
#define WINE_DEFAULT_DLL_DIR "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows"

/*   wdmimage wine-imports [-v] <driver.sys> [<wine dll dir>...]
 * One line per import the driver's host would end on: a module Wine lacks, a name its module
 * does not export, or an export that is one of winebuild's stubs. Exit status: 0 every import
 * is implemented, 1 some are not, 2 usage or I/O error. argv[0] is the first argument after
 * the subcommand. */
int wine_imports_main(int argc, char **argv);

/*   wdmimage calls <image.sys> <import>...
 * Where the image calls each named import: one line "<import> 0x<rva>" per call instruction,
 * through the import address table directly or through a jump thunk. Exit status: 0 some call
 * found, 1 none, 2 usage or I/O error. */
int import_calls_main(int argc, char **argv);

/* wdmimage recursion <image.sys>: "0x<function rva> 0x<call rva>" for each function that can
 * call itself, directly or through others (the suspects of a stack overflow); exit 1 when none. */
int recursion_main(int argc, char **argv);

#endif
