package sample01;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Run with `jbuild test`; `jbuild check` runs these with the case in tests/. */
@Tag("points=1")
class NumberTest {
    @Test
    @Tag("points=2")
    void numberIsTen() {
        assertEquals(10, new Number().getNum());
    }

    @Test
    @DisplayName("two numbers are equal")
    void twoNumbersAgree() {
        assertEquals(new Number().getNum(), new Number().getNum());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void multiplesOfTen(int times) {
        assertEquals(10 * times, new Number().getNum() * times);
    }
}
