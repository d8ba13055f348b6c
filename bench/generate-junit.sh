#!/usr/bin/env bash
# Generates COUNT student projects with JUnit tests: each has
# src/exNNN/Calc.java and test/exNNN/CalcTest.java (five tests, one of them
# parameterized over three values, with points tags). Every fifth project
# has a bug that fails one test, as in real classes.
# Usage: bench/generate-junit.sh DIR [COUNT]
set -euo pipefail
dir=$1 count=${2:-20}
for ((i = 1; i <= count; i++)); do
    ex=$(printf 'ex%03d' "$i")
    root="$dir/$ex"
    mkdir -p "$root/src/$ex" "$root/test/$ex"
    bug=""
    if ((i % 5 == 0)); then bug=" + 1"; fi
    cat >"$root/src/$ex/Calc.java" <<JAVA
package $ex;

public class Calc {
    public int add(int a, int b) {
        return a + b$bug;
    }

    public int multiply(int a, int b) {
        return a * b;
    }

    public int divide(int a, int b) {
        if (b == 0) {
            throw new IllegalArgumentException("division by zero");
        }
        return a / b;
    }
}
JAVA
    cat >"$root/test/$ex/CalcTest.java" <<JAVA
package $ex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("points=1")
class CalcTest {
    private final Calc calc = new Calc();

    @Test
    @Tag("points=2")
    void adds() {
        assertEquals($((i + 2)), calc.add($i, 2));
    }

    @Test
    void multiplies() {
        assertEquals(12, calc.multiply(3, 4));
    }

    @Test
    void divides() {
        assertEquals(3, calc.divide(12, 4));
    }

    @Test
    void refusesZero() {
        assertThrows(IllegalArgumentException.class, () -> calc.divide(1, 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void multipliesByOne(int value) {
        assertEquals(value, calc.multiply(value, 1));
    }
}
JAVA
done
