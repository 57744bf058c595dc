# add_wdm_test's default hardware id (toolchain/inf_hardware_id.cmake) on examples/pnp/pnp.inx
# and on INFs written here, one shape at a time:
#   cmake -DINX=<pnp.inx> -DSCRATCH=<dir> -P inf_hardware_id.cmake
include("${CMAKE_CURRENT_LIST_DIR}/../../toolchain/inf_hardware_id.cmake")
set(failures 0)
# check(<what> <expected id> <INF text>)
function(check what expected text)
  file(WRITE "${SCRATCH}/x.inf" "${text}")
  _minwdm_inf_hardware_id("${SCRATCH}/x.inf" id)
  if(id STREQUAL expected)
    message("ok - ${what}: '${id}'")
  else()
    message("not ok - ${what}: '${id}', expected '${expected}'")
    math(EXPR n "${failures} + 1")
    set(failures ${n} PARENT_SCOPE)
  endif()
endfunction()

file(MAKE_DIRECTORY "${SCRATCH}")
file(READ "${INX}" pnp)
check("examples/pnp/pnp.inx" "Root\\MinwdmPnpExample" "${pnp}")
set(head "[Version]\nSignature = \"$Windows NT$\"\n")
check("the NTamd64 section, not an x86 one listed first" "PCI\\VEN_1234&DEV_0002"
      "${head}[Manufacturer]\n%M% = Dev, NTx86, NTamd64.10.0\n[Dev.NTx86]\n%D% = Inst, PCI\\VEN_1234&DEV_0001\n[Dev.NTamd64.10.0]\n%D% = Inst, PCI\\VEN_1234&DEV_0002, PCI\\VEN_1234\n")
check("an undecorated models section" "Root\\Plain"
      "${head}[manufacturer]\r\n%M% = Plain ; comment\r\n\r\n[PLAIN]\r\n; a comment line\r\n%D%=Inst,Root\\Plain\r\n")
check("the section's name in another case, spaces around the id" "Root\\Spaced"
      "${head}[Manufacturer]\n%M% = Models,NTAMD64\n[models.ntamd64]\n%D% = Inst ,  Root\\Spaced   \n")
check("no [Manufacturer]: a primitive driver" "" "${head}[DefaultInstall.NTamd64]\nCopyFiles = X\n")
check("[Manufacturer] names a section the INF lacks" "" "${head}[Manufacturer]\n%M% = Gone, NTamd64\n")
check("a models section without a device line" "" "${head}[Manufacturer]\n%M% = Dev, NTamd64\n[Dev.NTamd64]\n[Strings]\nM = \"m, n\"\n")
if(failures)
  message(FATAL_ERROR "${failures} failed")
endif()
