# The driver package of add_wdm_driver(<name> ... INF <file>), run after the image is signed:
#   cmake -DWDMIMAGE=... -DNAME=<name> -DINF=<file.inx|inf> -DIMAGE=<signed name.sys>
#         [-DSYMBOLS=<name.pdb>] -DVERSION=<a.b.c.d> -DDIR=<package folder>
#         [-DOSSLSIGNCODE=... -DPFX=... -DPASSWORD_FILE=...] -P package.cmake
# makes <DIR>/ with <name>.inf (stamped: DriverVer = today, UTC, and VERSION; $ARCH$ -> amd64;
# checked, each problem named by line), <name>.sys, <name>.pdb and <name>.cat (the catalog of the
# image and the INF, signed like the image). SOURCE_DATE_EPOCH fixes the date. On any failure
# the package's files are removed: no half package is left to ship. Only those files: the folder
# may be a build folder too (an example's binary dir is <output dir>/<name>).
foreach(var WDMIMAGE NAME INF IMAGE VERSION DIR)
  if(NOT ${var})
    message(FATAL_ERROR "package.cmake: ${var} is not set")
  endif()
endforeach()

set(files "${DIR}/${NAME}.inf" "${DIR}/${NAME}.sys" "${DIR}/${NAME}.pdb" "${DIR}/${NAME}.cat"
          "${DIR}/${NAME}.unsigned.cat")
function(fail what)
  file(REMOVE ${files})
  message(FATAL_ERROR "${NAME} package: ${what}")
endfunction()

file(REMOVE ${files})
file(MAKE_DIRECTORY "${DIR}")
string(TIMESTAMP date "%m/%d/%Y" UTC)
execute_process(COMMAND "${WDMIMAGE}" inf stamp "${INF}" -o "${DIR}/${NAME}.inf"
                        --version ${VERSION} --date ${date} --image ${NAME}.sys --catalog ${NAME}.cat
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  fail("${INF} cannot make a package that installs (the lines above say why)")
endif()
file(COPY "${IMAGE}" DESTINATION "${DIR}")
if(SYMBOLS AND SYMBOLS MATCHES "[.]pdb$")
  file(COPY "${SYMBOLS}" DESTINATION "${DIR}")
endif()
execute_process(COMMAND "${WDMIMAGE}" catalog -o "${DIR}/${NAME}.unsigned.cat"
                        "${DIR}/${NAME}.sys" "${DIR}/${NAME}.inf"
                OUTPUT_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  fail("the catalog could not be made")
endif()
if(OSSLSIGNCODE)
  set(password)
  if(PASSWORD_FILE)
    set(password -readpass "${PASSWORD_FILE}")
  endif()
  execute_process(COMMAND "${OSSLSIGNCODE}" sign -pkcs12 "${PFX}" ${password} -h sha256
                          -in "${DIR}/${NAME}.unsigned.cat" -out "${DIR}/${NAME}.cat"
                  OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
  file(REMOVE "${DIR}/${NAME}.unsigned.cat")
  if(NOT rc EQUAL 0)
    fail("osslsigncode could not sign the catalog: ${out}")
  endif()
else()
  file(RENAME "${DIR}/${NAME}.unsigned.cat" "${DIR}/${NAME}.cat") # MINWDM_SIGNING=OFF
endif()
