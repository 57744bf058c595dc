# Symbols for every driver of add_wdm_driver(), so that a debugger names its functions and
# source lines. Loaded by minwdm.cmake.
#
#   clang + lld: <name>.pdb beside <name>.sys. The image keeps its debug directory: one CodeView
#     entry whose RSDS record holds the PDB's GUID and age and its bare file name (not the build
#     path), in .rdata, where Microsoft's linker puts it (lld alone would make a .buildid
#     section). WinDbg matches the PDB by that GUID and age.
#   MinGW GCC: DWARF 4 (Wine 8's dbghelp reads versions 2 to 4; GCC 12 writes 5 by default) in
#     <name>.debug beside <name>.sys; the image names it, with its CRC, in .gnu_debuglink.
#
# wdmimage's debug-info rule checks what the image keeps; the test symbols.<name> checks that
# the PDB or .debug file matches the image and names DriverEntry with its file and line.
# -DMINWDM_SYMBOLS=OFF: no symbols, and images as they were before (linked with -s).
include_guard(GLOBAL)

option(MINWDM_SYMBOLS "Write symbols beside every driver: <name>.pdb (clang), <name>.debug (GCC)"
       ON)

if(MINWDM_SYMBOLS AND CMAKE_C_COMPILER_ID STREQUAL "Clang")
  list(APPEND MINWDM_KERNEL_COMPILE_OPTIONS -g -gcodeview)
elseif(MINWDM_SYMBOLS)
  list(APPEND MINWDM_KERNEL_COMPILE_OPTIONS -g -gdwarf-4)
  # GNU ld keeps the DWARF for objcopy to move out; objcopy strips the image afterwards.
  list(REMOVE_ITEM MINWDM_KERNEL_LINK_OPTIONS -s)
  find_program(MINWDM_OBJCOPY NAMES ${MINWDM_TARGET_TRIPLE}-objcopy REQUIRED)
endif()

# Gives driver <name> (image in <out_dir>) its symbols: link options, and in <commands_var> the
# post-link commands to run before wdmimage fix. Records the symbols file in the target's
# MINWDM_SYMBOLS property (empty when symbols are off).
function(minwdm_driver_symbols name out_dir commands_var)
  set(commands)
  set(file)
  get_target_property(file_name ${name} MINWDM_FILE_NAME) # the image is <file_name>.sys
  if(MINWDM_SYMBOLS AND CMAKE_C_COMPILER_ID STREQUAL "Clang")
    set(file "${out_dir}/${file_name}.pdb")
    file(MAKE_DIRECTORY "${out_dir}") # lld writes the PDB there while linking
    target_link_options(${name} PRIVATE "-Wl,--pdb=${file}"
                        "-Wl,--Xlink=-pdbaltpath:${file_name}.pdb" "-Wl,--Xlink=-merge:.buildid=.rdata")
  elseif(MINWDM_SYMBOLS)
    set(file "${out_dir}/${file_name}.debug")
    set(commands
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${out_dir}"
      COMMAND "${CMAKE_COMMAND}" -DOBJCOPY=${MINWDM_OBJCOPY} -DIMAGE=$<TARGET_FILE:${name}>
              -DDEBUG_FILE=${file} -P "${MINWDM_ROOT}/toolchain/split-debug.cmake")
  endif()
  if(file)
    set_property(TARGET ${name} APPEND PROPERTY ADDITIONAL_CLEAN_FILES "${file}")
  endif()
  set_property(TARGET ${name} PROPERTY MINWDM_SYMBOLS "${file}")
  set(${commands_var} ${commands} PARENT_SCOPE)
endfunction()

# symbols.<name>: the symbols file matches the image and names the entry point's function
# (DriverEntry, or the runtime's minwdm_runtime_entry for a RUNTIME driver), its file and line.
function(minwdm_add_symbols_test name image)
  get_target_property(file ${name} MINWDM_SYMBOLS)
  get_target_property(runtime ${name} MINWDM_RUNTIME)
  get_target_property(entry ${name} MINWDM_ENTRY) # the kit's C++ entry (minwdm-wdk.cmake)
  if(NOT entry)
    set(entry DriverEntry)
  endif()
  if(runtime)
    set(entry minwdm_runtime_entry)
  endif()
  if(file)
    add_test(NAME symbols.${name}
             COMMAND bash "${MINWDM_ROOT}/toolchain/check-symbols.sh" "${image}" "${file}" ${entry})
  endif()
endfunction()
