#!/usr/bin/env bash
# The checking loop people write today for a teacher's repo: for each exercise,
# javac; then for each case, java < case.in | diff - case.out.
# Usage: bench/check-loop.sh DIR
set -uo pipefail
passed=0 failed=0
for project in "$1"/*/; do
    (cd "$project/src" && javac -d ../classes -sourcepath . $(find . -name '*.java')) || continue
    for out in "$project"/tests/*/*.out; do
        class=$(basename "$(dirname "$out")")
        input=${out%.out}.in
        if java -cp "$project/classes" "$class" <"$input" | diff -q - "$out" >/dev/null; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
        fi
    done
done
echo "$passed passed, $failed failed"
