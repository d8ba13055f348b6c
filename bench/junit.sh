#!/usr/bin/env bash
# `jbuild test` against the JUnit tests run by hand (javac main, javac tests,
# the console launcher), measured in the same run with hyperfine: on the
# sample project (3 tests) and on a folder of 20 generated student projects
# (7 tests each, every fifth with a failing test). Prints the medians and the
# ratio jbuild/plain, as bench/bench.sh does.
# Usage: bench/junit.sh [RUNS]   (needs hyperfine, jq and apt-get install junit5)
set -euo pipefail
runs=${1:-10}
repo=$(cd "$(dirname "$0")/.." && pwd)
jar=/usr/share/java/junit-platform-console-standalone.jar
[ -f "$jar" ] || { echo "bench/junit.sh: $jar is missing (apt-get install junit5)" >&2; exit 2; }
cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
jbuild="$repo/target/release/jbuild"
work=$(mktemp -d)
export JBUILD_CACHE_DIR="$work/cache"
trap 'rm -rf "$work"' EXIT

for side in plain jbuild; do
    mkdir -p "$work/sample-$side"
    cp -r "$repo/sample-project/src" "$repo/sample-project/test" "$work/sample-$side/"
    "$repo/bench/generate-junit.sh" "$work/class-$side" 20
done
by_hand="$repo/bench/junit-by-hand.sh"
# Removes what either side compiled, so the next run starts cold.
clean="rm -rf $work/sample-plain/classes $work/sample-plain/test-classes $work/sample-jbuild/classes"
clean_class_plain="bash -c 'rm -rf $work/class-plain/*/classes $work/class-plain/*/test-classes'"
clean_class_jbuild="bash -c 'rm -rf $work/class-jbuild/*/classes'"

results="$work/results.md"
echo "| benchmark | plain median | jbuild median | jbuild / plain |" >"$results"
echo "| --- | ---: | ---: | ---: |" >>"$results"

# compare NAME PLAIN_DIR PLAIN_CMD JBUILD_DIR JBUILD_CMD [PREPARE_PLAIN PREPARE_JBUILD]
compare() {
    local name=$1 plain_dir=$2 plain_cmd=$3 jbuild_dir=$4 jbuild_cmd=$5 prep_plain=${6:-} prep_jbuild=${7:-}
    # -i: both sides exit 1 when a test fails, as some do here on purpose.
    local args=(--runs "$runs" --warmup 2 --shell=none --style basic -i)
    (cd "$plain_dir" && hyperfine "${args[@]}" ${prep_plain:+--prepare "$prep_plain"} \
        --export-json "$work/plain.json" --command-name "plain" "$plain_cmd" >/dev/null)
    (cd "$jbuild_dir" && hyperfine "${args[@]}" ${prep_jbuild:+--prepare "$prep_jbuild"} \
        --export-json "$work/jbuild.json" --command-name "jbuild" "$jbuild_cmd" >/dev/null)
    local p j
    p=$(jq '.results[0].median' "$work/plain.json")
    j=$(jq '.results[0].median' "$work/jbuild.json")
    jq -rn --arg name "$name" --argjson p "$p" --argjson j "$j" \
        '"| \($name) | \($p * 1000 * 10 | round / 10) ms | \($j * 1000 * 10 | round / 10) ms | \($j / $p * 1000 | round / 1000) |"' \
        >>"$results"
    tail -n 1 "$results"
}

echo "== sample project: 3 JUnit tests ($runs runs each)"
compare "JUnit sample: test from scratch" \
    "$work/sample-plain" "$by_hand $work/sample-plain $jar" \
    "$work/sample-jbuild" "$jbuild test --quiet" \
    "bash -c '$clean'" "bash -c '$clean'"
compare "JUnit sample: test again, nothing changed" \
    "$work/sample-plain" "$by_hand $work/sample-plain $jar" \
    "$work/sample-jbuild" "$jbuild test --quiet"

echo "== 20 student projects, 7 JUnit tests each ($runs runs each)"
compare "20 JUnit projects: test from scratch" \
    "$work/class-plain" "$by_hand $work/class-plain $jar" \
    "$work/class-jbuild" "$jbuild test --quiet" \
    "$clean_class_plain" "$clean_class_jbuild"
compare "20 JUnit projects: test again, nothing changed" \
    "$work/class-plain" "$by_hand $work/class-plain $jar" \
    "$work/class-jbuild" "$jbuild test --quiet"

echo
echo "Machine: $(nproc) cores, $(uname -sm), $(javac -version 2>&1), $("$jbuild" --version)"
echo
cat "$results"
