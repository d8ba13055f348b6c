#!/usr/bin/env bash
# The loop people write today: one cold javac per exercise project.
# Usage: bench/javac-each.sh DIR
set -euo pipefail
for project in "$1"/*/; do
    (cd "$project/src" && javac -d ../classes -sourcepath . $(find . -name '*.java'))
done
