#!/usr/bin/env bash
# jbuild against the plain javac/java commands, measured in the same run with hyperfine.
# Prints the median of RUNS runs of each command and the ratio jbuild/plain.
# Usage: bench/bench.sh [RUNS] [HEAVY_RUNS]   (needs hyperfine and jq: apt-get install hyperfine jq)
# HEAVY_RUNS (default 3) is for the 100-exercise batch, where one plain run takes a minute.
set -euo pipefail
runs=${1:-10}
heavy_runs=${2:-3}
repo=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
jbuild="$repo/target/release/jbuild"
edit="$repo/bench/edit.sh"
work=$(mktemp -d)
# The daemon of this run keeps its socket and worker cache here, apart from the user's.
export JBUILD_CACHE_DIR="$work/cache"
trap '"$jbuild" daemon stop >/dev/null 2>&1; rm -rf "$work"' EXIT

# Two copies of each project: one for the plain commands, one for jbuild,
# so neither sees the other's output.
for side in plain jbuild; do
    mkdir -p "$work/sample-$side"
    cp -r "$repo/sample-project/src" "$work/sample-$side/src"
    "$repo/bench/generate.sh" "$work/big-$side" 50 10
done
(cd "$work/big-plain/src" && find . -name '*.java' | sort >"$work/big-files.txt")

results="$work/results.md"
echo "| benchmark | plain median | jbuild median | jbuild / plain |" >"$results"
echo "| --- | ---: | ---: | ---: |" >>"$results"

# compare NAME PLAIN_DIR PLAIN_CMD JBUILD_DIR JBUILD_CMD [PREPARE_PLAIN PREPARE_JBUILD]
# ($runs and $warmup are read at call time, so a section can change them.)
warmup=2
compare() {
    local name=$1 plain_dir=$2 plain_cmd=$3 jbuild_dir=$4 jbuild_cmd=$5 prep_plain=${6:-} prep_jbuild=${7:-}
    # -i: `jbuild check` exits 1 when a case fails, as some do here on purpose.
    local args=(--runs "$runs" --warmup "$warmup" --shell=none --style basic -i)
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

s_plain="$work/sample-plain/src" s_jbuild="$work/sample-jbuild/src"
b_plain="$work/big-plain/src" b_jbuild="$work/big-jbuild/src"
mkdir -p "$work/sample-plain/classes" "$work/big-plain/classes"

echo "== sample project (2 classes), $runs runs each"
compare "sample: compile, nothing changed" \
    "$s_plain" "javac -d ../classes -sourcepath ./ sample01/Main.java" \
    "$s_jbuild" "$jbuild compile --quiet sample01/Main.java"
compare "sample: run when fresh" \
    "$work/sample-plain/classes" "java -cp . sample01.Main" \
    "$work/sample-jbuild/classes" "$jbuild run --quiet sample01.Main"
compare "sample: compile after editing Number.java" \
    "$s_plain" "javac -d ../classes -sourcepath ./ sample01/Main.java" \
    "$s_jbuild" "$jbuild compile --quiet sample01/Main.java" \
    "$edit $s_plain/sample01/Number.java" "$edit $s_jbuild/sample01/Number.java"

echo "== generated project (500 classes in 50 packages + app.Main), $runs runs each"
compare "500 classes: compile all, nothing changed" \
    "$b_plain" "javac -d ../classes -sourcepath . @$work/big-files.txt" \
    "$b_jbuild" "$jbuild compile --quiet"
compare "500 classes: run app.Main when fresh" \
    "$work/big-plain/classes" "java -cp . app.Main" \
    "$work/big-jbuild/classes" "$jbuild run --quiet app.Main"
compare "500 classes: compile all after editing one file" \
    "$b_plain" "javac -d ../classes -sourcepath . @$work/big-files.txt" \
    "$b_jbuild" "$jbuild compile --quiet" \
    "$edit $b_plain/pkg25/C5.java" "$edit $b_jbuild/pkg25/C5.java"

echo "== warm compiler: the daemon's worker vs a cold javac, after an edit ($runs runs each)"
warmup=5
compare "sample: edit Number.java, compile (daemon)" \
    "$s_plain" "javac -d ../classes -sourcepath ./ sample01/Main.java" \
    "$s_jbuild" "$jbuild compile --quiet --daemon sample01/Main.java" \
    "$edit $s_plain/sample01/Number.java" "$edit $s_jbuild/sample01/Number.java"
compare "sample: edit Number.java, compile and run (daemon)" \
    "$s_plain" "$repo/bench/compile-and-run.sh" \
    "$s_jbuild" "$jbuild run --quiet --daemon sample01.Main" \
    "$edit $s_plain/sample01/Number.java" "$edit $s_jbuild/sample01/Number.java"
compare "500 classes: edit one file, compile all (daemon)" \
    "$b_plain" "javac -d ../classes -sourcepath . @$work/big-files.txt" \
    "$b_jbuild" "$jbuild compile --quiet --daemon" \
    "$edit $b_plain/pkg25/C5.java" "$edit $b_jbuild/pkg25/C5.java"

echo "== a teacher repo of 28 exercises (84 cases, 2 failing): the loop people write vs jbuild check ($heavy_runs runs each)"
for side in plain jbuild; do "$repo/bench/generate-exercises.sh" "$work/ex-$side" 28; done
runs=$heavy_runs warmup=1
compare "28 exercises: compile all from scratch" \
    "$work/ex-plain" "$repo/bench/javac-each.sh $work/ex-plain" \
    "$work/ex-jbuild" "$jbuild compile --quiet $(cd "$work/ex-jbuild" && echo ex*)" \
    "$repo/bench/clean-classes.sh $work/ex-plain" "$repo/bench/clean-classes.sh $work/ex-jbuild"
compare "28 exercises (84 cases): check, from scratch" \
    "$work/ex-plain" "$repo/bench/check-loop.sh $work/ex-plain" \
    "$work/ex-jbuild" "$jbuild check --quiet $work/ex-jbuild" \
    "$repo/bench/clean-classes.sh $work/ex-plain" "$repo/bench/clean-classes.sh $work/ex-jbuild"
compare "28 exercises (84 cases): check --reuse-jvm, from scratch" \
    "$work/ex-plain" "$repo/bench/check-loop.sh $work/ex-plain" \
    "$work/ex-jbuild" "$jbuild check --quiet --reuse-jvm $work/ex-jbuild" \
    "$repo/bench/clean-classes.sh $work/ex-plain" "$repo/bench/clean-classes.sh $work/ex-jbuild"
compare "28 exercises (84 cases): check again, nothing changed" \
    "$work/ex-plain" "$repo/bench/check-loop.sh $work/ex-plain" \
    "$work/ex-jbuild" "$jbuild check --quiet $work/ex-jbuild"
compare "28 exercises (84 cases): check --reuse-jvm again, nothing changed" \
    "$work/ex-plain" "$repo/bench/check-loop.sh $work/ex-plain" \
    "$work/ex-jbuild" "$jbuild check --quiet --reuse-jvm $work/ex-jbuild"

runs=${1:-10} warmup=2
echo "== a GitHub Classroom repository of 10 tests: Classroom's runner by hand vs jbuild check ($runs runs each)"
for side in plain jbuild; do "$repo/bench/generate-classroom.sh" "$work/classroom-$side" 10; done
compare "Classroom repo, 10 tests (javac in each setup)" \
    "$work/classroom-plain" "$repo/bench/classroom-runner.sh $work/classroom-plain" \
    "$work/classroom-jbuild" "$jbuild check --quiet $work/classroom-jbuild" \
    "rm -f $work/classroom-plain/Sum.class" "rm -f $work/classroom-jbuild/Sum.class"

echo "== the source scanner on a large tree: 10,000 files ($runs runs each)"
for side in plain jbuild; do "$repo/bench/generate.sh" "$work/huge-$side" 1000 10 >/dev/null; done
compare "10,000 files: list every class vs reading them" \
    "$work/huge-plain" "$repo/bench/read-all.sh src" \
    "$work/huge-jbuild" "$jbuild list --all --quiet"
(cd "$work/huge-jbuild" && "$jbuild" compile --quiet >/dev/null)
compare "10,000 files: compile, nothing changed (freshness check)" \
    "$work/huge-plain" "$repo/bench/read-all.sh src" \
    "$work/huge-jbuild" "$jbuild compile --quiet"

echo "== javac's own JVM: a cold javac with and without jbuild's options ($runs runs each)"
javac_options="-J-XX:TieredStopAtLevel=1 -J-XX:CICompilerCount=1 -J-XX:+UseSerialGC"
compare "cold javac, sample (2 classes): default JVM vs jbuild's options" \
    "$s_plain" "javac -d ../classes -sourcepath ./ sample01/Main.java" \
    "$s_plain" "javac $javac_options -d ../classes -sourcepath ./ sample01/Main.java"
compare "cold javac, 500 classes: default JVM vs jbuild's options" \
    "$b_plain" "javac -d ../classes -sourcepath . @$work/big-files.txt" \
    "$b_plain" "javac $javac_options -d ../classes -sourcepath . @$work/big-files.txt"

echo "== JVM options for a case ($runs runs each; medians)"
options="$work/jvm-options.md"
echo "| program | JVM options | median |" >"$options"
echo "| --- | --- | ---: |" >>"$options"
# measure PROGRAM_LABEL OPTIONS_LABEL COMMAND (run by the shell, for the stdin redirect)
measure() {
    hyperfine --runs "$runs" --warmup 2 --style basic --export-json "$work/m.json" "$3" >/dev/null
    jq -r --arg p "$1" --arg o "$2" '"| \($p) | \($o) | \(.results[0].median * 1000 * 10 | round / 10) ms |"' "$work/m.json" >>"$options"
    tail -n 1 "$options"
}
ex="$work/ex-jbuild/ex001"
input="$ex/tests/ex001.Main/case1.in"
jbuild_flags="-XX:-UsePerfData -Xss64m"
measure "exercise (Scanner, 3 ints)" "java defaults" "java -Xmx256m -cp $ex/classes ex001.Main < $input"
measure "exercise (Scanner, 3 ints)" "jbuild check's: $jbuild_flags" "java -Xmx256m $jbuild_flags -cp $ex/classes ex001.Main < $input"
measure "exercise (Scanner, 3 ints)" "+ -XX:+UseSerialGC" "java -Xmx256m $jbuild_flags -XX:+UseSerialGC -cp $ex/classes ex001.Main < $input"
measure "exercise (Scanner, 3 ints)" "+ -XX:TieredStopAtLevel=1" "java -Xmx256m $jbuild_flags -XX:TieredStopAtLevel=1 -cp $ex/classes ex001.Main < $input"
measure "exercise (Scanner, 3 ints)" "+ -Xshare:off (no class data sharing)" "java -Xmx256m $jbuild_flags -Xshare:off -cp $ex/classes ex001.Main < $input"
measure "exercise (Scanner, 3 ints)" "+ -XX:ParallelGCThreads=1 -XX:ConcGCThreads=1" "java -Xmx256m $jbuild_flags -XX:ParallelGCThreads=1 -XX:ConcGCThreads=1 -cp $ex/classes ex001.Main < $input"
measure "exercise (Scanner, 3 ints)" "+ -XX:CICompilerCount=2" "java -Xmx256m $jbuild_flags -XX:CICompilerCount=2 -cp $ex/classes ex001.Main < $input"
# Class data sharing of the program's own classes needs them in a jar.
(cd "$work" && jar cf ex001.jar -C "$ex/classes" . && java -XX:ArchiveClassesAtExit=ex001.jsa -cp ex001.jar ex001.Main < "$input" >/dev/null)
measure "exercise (Scanner, 3 ints)" "from a jar (JDK 17)" "java -Xmx256m $jbuild_flags -cp $work/ex001.jar ex001.Main < $input"
measure "exercise (Scanner, 3 ints)" "from a jar + a dynamic CDS archive (JDK 17)" "java -Xmx256m $jbuild_flags -XX:SharedArchiveFile=$work/ex001.jsa -cp $work/ex001.jar ex001.Main < $input"
jdk25=$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -n 1)
if [ -n "$jdk25" ]; then
    (cd "$work" && "$jdk25/bin/java" -XX:AOTCacheOutput=ex001.aot -cp ex001.jar ex001.Main < "$input" >/dev/null 2>&1)
    measure "exercise (Scanner, 3 ints)" "from a jar (JDK 25)" "$jdk25/bin/java -Xmx256m $jbuild_flags -cp $work/ex001.jar ex001.Main < $input"
    measure "exercise (Scanner, 3 ints)" "from a jar + an AOT cache (JDK 25)" "$jdk25/bin/java -Xmx256m $jbuild_flags -XX:AOTCache=$work/ex001.aot -cp $work/ex001.jar ex001.Main < $input"
fi
mkdir -p "$work/heavy"
javac -d "$work/heavy" "$repo/bench/fixtures/heavy/Heavy.java"
measure "compute-heavy (sieve to 3e7, HashMap)" "jbuild check's" "java -Xmx256m $jbuild_flags -cp $work/heavy heavy.Heavy"
measure "compute-heavy (sieve to 3e7, HashMap)" "+ -XX:TieredStopAtLevel=1" "java -Xmx256m $jbuild_flags -XX:TieredStopAtLevel=1 -cp $work/heavy heavy.Heavy"

echo
echo "Machine: $(nproc) cores, $(uname -sm), $(javac -version 2>&1), $("$jbuild" --version)"
echo
cat "$results"
echo
cat "$options"
