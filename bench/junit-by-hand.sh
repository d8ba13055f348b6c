#!/usr/bin/env bash
# Running JUnit tests by hand, the way a course's instructions say: for each
# project below DIR (or DIR itself when it has src/), javac the main
# classes, javac the tests against them and the console standalone jar,
# then the console launcher on both.
# Usage: bench/junit-by-hand.sh DIR [JAR]
set -uo pipefail
jar=${2:-/usr/share/java/junit-platform-console-standalone.jar}
projects=("$1")
[ -d "$1/src" ] || projects=("$1"/*/)
for project in "${projects[@]}"; do
    (
        cd "$project" || exit 1
        javac -d classes -sourcepath src $(find src -name '*.java') || exit 1
        javac -d test-classes -cp "classes:$jar" -sourcepath test $(find test -name '*.java') || exit 1
        java -jar "$jar" --disable-banner --details=summary -cp classes:test-classes --scan-classpath
    )
done
