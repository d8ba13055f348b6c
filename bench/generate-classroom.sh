#!/usr/bin/env bash
# A Classroom repository as GitHub Classroom's Java template makes them:
# top-level Java files and TESTS tests in .github/classroom/autograding.json,
# each compiling with `javac` in its setup and running `java` with an input.
# Usage: bench/generate-classroom.sh DIR [TESTS]
set -euo pipefail
dir=$1 tests=${2:-10}
mkdir -p "$dir/.github/classroom"
cat >"$dir/Sum.java" <<'JAVA'
import java.util.Scanner;

public class Sum {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        long total = 0;
        while (in.hasNextInt()) {
            total += in.nextInt();
        }
        System.out.println("Sum: " + total);
    }
}
JAVA
{
    echo '{"tests": ['
    for ((i = 1; i <= tests; i++)); do
        sep=$([ "$i" -lt "$tests" ] && echo , || true)
        echo "  {\"name\": \"sum $i\", \"setup\": \"javac Sum.java\", \"run\": \"java Sum\", \"input\": \"$i $i\", \"output\": \"Sum: $((2 * i))\", \"comparison\": \"exact\", \"timeout\": 1, \"points\": 1}$sep"
    done
    echo ']}'
} >"$dir/.github/classroom/autograding.json"
