#!/usr/bin/env bash
# Generates a teacher's repository of COUNT exercise projects: each has
# src/exNNN/Main.java (reads numbers from stdin, prints their sum through a
# helper class), src/exNNN/Adder.java, and three cases in tests/exNNN.Main/.
# Every tenth exercise has one wrong expected output, as in real classes.
# Usage: bench/generate-exercises.sh DIR [COUNT]
set -euo pipefail
dir=$1 count=${2:-100}
for ((i = 1; i <= count; i++)); do
    ex=$(printf 'ex%03d' "$i")
    root="$dir/$ex"
    mkdir -p "$root/src/$ex" "$root/tests/$ex.Main"
    cat >"$root/src/$ex/Main.java" <<JAVA
package $ex;

import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        Adder adder = new Adder($i);
        while (in.hasNextInt()) {
            adder.add(in.nextInt());
        }
        System.out.println("sum " + adder.total());
    }
}
JAVA
    cat >"$root/src/$ex/Adder.java" <<JAVA
package $ex;

class Adder {
    private long total;

    Adder(long start) {
        total = start;
    }

    void add(int value) {
        total += value;
    }

    long total() {
        return total;
    }
}
JAVA
    for case in 1 2 3; do
        printf '%s\n' "$case $((case * 2)) $((case * 3))" >"$root/tests/$ex.Main/case$case.in"
        expected=$((i + case * 6))
        if ((i % 10 == 0 && case == 3)); then expected=$((expected + 1)); fi
        printf 'sum %s\n' "$expected" >"$root/tests/$ex.Main/case$case.out"
    done
done
