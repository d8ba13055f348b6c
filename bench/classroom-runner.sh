#!/usr/bin/env bash
# GitHub Classroom's runner (education/autograding) done by hand: for each
# test of .github/classroom/autograding.json, in order, `sh -c setup` then
# `sh -c run` with the input on stdin, in the repository folder, and the
# trimmed output compared. Needs jq. Usage: bench/classroom-runner.sh REPO
set -uo pipefail
cd "$1"
json=.github/classroom/autograding.json
count=$(jq '.tests | length' "$json")
passed=0 failed=0
for ((i = 0; i < count; i++)); do
    setup=$(jq -r ".tests[$i].setup // \"\"" "$json")
    run=$(jq -r ".tests[$i].run" "$json")
    input=$(jq -r ".tests[$i].input // \"\"" "$json")
    output=$(jq -r ".tests[$i].output // \"\"" "$json")
    [ -n "$setup" ] && sh -c "$setup" >/dev/null 2>&1
    actual=$(printf '%s' "$input" | sh -c "$run" 2>/dev/null)
    if [ "$(printf '%s' "$actual" | sed -e 's/[[:space:]]*$//')" = "$output" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
