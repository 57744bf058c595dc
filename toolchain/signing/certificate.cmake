# Prepares the certificate drivers are signed with (cmake -P, run once per build tree):
#  - without PFX: generates a test certificate: RSA 3072, SHA-256, "minwdm test signing",
#    extended key usage codeSigning, ten years; its private key stays in DIR, never elsewhere;
#  - with PFX (your own PKCS#12, password in PASSWORD_FILE if any): checks it can sign drivers.
# Either way DIR gets <NAME>.pem (the certificate, for osslsigncode verify), <NAME>.cer (DER, for
# certutil -addstore on Windows) and signing.pfx or a note of the PFX to use.
#   -DOPENSSL=<openssl> -DDIR=<dir> -DNAME=<base name> [-DPFX=<file> [-DPASSWORD_FILE=<file>]]
cmake_minimum_required(VERSION 3.20)
file(MAKE_DIRECTORY "${DIR}")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE failed OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(failed)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "signing: ${command} failed:\n${out}${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

set(pem "${DIR}/${NAME}.pem")
set(cer "${DIR}/${NAME}.cer")
if(PFX)
  if(PASSWORD_FILE)
    set(pass "file:${PASSWORD_FILE}")
  else()
    set(pass "pass:")
  endif()
  run("${OPENSSL}" pkcs12 -in "${PFX}" -passin "${pass}" -nokeys -clcerts -out "${pem}")
else()
  set(key "${DIR}/${NAME}.key")
  # The private key is readable by its owner only.
  file(REMOVE "${key}")
  file(TOUCH "${key}")
  file(CHMOD "${key}" PERMISSIONS OWNER_READ OWNER_WRITE)
  run("${OPENSSL}" req -x509 -newkey rsa:3072 -sha256 -days 3650 -nodes
      -keyout "${key}" -out "${pem}" -subj "/CN=minwdm test signing"
      -addext "extendedKeyUsage=codeSigning"
      -addext "keyUsage=critical,digitalSignature"
      -addext "basicConstraints=critical,CA:FALSE")
  run("${OPENSSL}" pkcs12 -export -inkey "${key}" -in "${pem}" -out "${DIR}/signing.pfx"
      -passout pass: -name "minwdm test signing")
  file(CHMOD "${DIR}/signing.pfx" PERMISSIONS OWNER_READ OWNER_WRITE)
endif()

# What Windows' kernel-mode code signing needs of the certificate, checked before any signing:
# an RSA key of 2048 bits or more, and the code signing extended key usage.
run("${OPENSSL}" x509 -in "${pem}" -noout -text)
if(NOT out MATCHES "Public-Key: \\(([0-9]+) bit\\)" OR CMAKE_MATCH_1 LESS 2048)
  message(FATAL_ERROR "signing: ${PFX}: the key must be RSA with 2048 bits or more")
endif()
if(NOT out MATCHES "Code Signing")
  message(FATAL_ERROR "signing: ${PFX}: the certificate lacks the codeSigning extended key usage "
                      "(1.3.6.1.5.5.7.3.3): Windows refuses drivers signed with it (error 577)")
endif()
run("${OPENSSL}" x509 -in "${pem}" -outform DER -out "${cer}")
