#!/usr/bin/env bash
# Fixture: the template Wine prefix every Wine test copies (made once per build tree).
set -u
. "$(dirname "$0")/../../scripts/wine-lib.sh"
wine_template "$1"
echo "Wine prefix template ready: $1/wine/template"
