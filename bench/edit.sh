#!/usr/bin/env bash
# Changes the content of a Java file (a fresh comment at the end) so it must be recompiled.
# Usage: bench/edit.sh FILE
set -euo pipefail
sed -i '/^\/\/ bench-edit /d' "$1"
echo "// bench-edit $(date +%s%N)" >>"$1"
