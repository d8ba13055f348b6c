#!/usr/bin/env bash
# Generates a Java project of PACKAGES x CLASSES classes plus app/Main.java that uses them all.
# Usage: bench/generate.sh DIR [PACKAGES] [CLASSES]
set -euo pipefail
dir=$1 packages=${2:-50} classes=${3:-10}
mkdir -p "$dir/src/app"
main_body=""
for ((p = 0; p < packages; p++)); do
    pkg=$(printf 'pkg%02d' "$p")
    mkdir -p "$dir/src/$pkg"
    for ((c = 0; c < classes; c++)); do
        if ((c == 0)); then uses="0"; else uses="C$((c - 1)).value()"; fi
        cat >"$dir/src/$pkg/C$c.java" <<JAVA
package $pkg;

import java.util.ArrayList;
import java.util.List;

/** Generated class $c of package $pkg. */
public class C$c {
    private final List<Integer> items = new ArrayList<>();

    public static int value() {
        return $uses + $c;
    }

    public int sum() {
        int total = 0;
        for (int item : items) {
            total += item;
        }
        return total + value();
    }

    @Override
    public String toString() {
        return "C$c(" + sum() + ")";
    }
}
JAVA
    done
    main_body+="        total += $pkg.C$((classes - 1)).value();"$'\n'
done
cat >"$dir/src/app/Main.java" <<JAVA
package app;

public class Main {
    public static void main(String[] args) {
        long total = 0;
$main_body        System.out.println("total " + total);
    }
}
JAVA
