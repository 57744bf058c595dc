# The Wine session library lives with the kit (toolchain/wine/session.sh); tests and the demo
# source it through this name.
# shellcheck source=../toolchain/wine/session.sh
. "$(dirname "${BASH_SOURCE[0]}")/../toolchain/wine/session.sh"
