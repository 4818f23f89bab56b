package io.tessera.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidationTest {

    @Test
    void aConfigKeepsOnlyNumbersEveryJsonReaderAndTheEventSignatureReadExactly() {
        long exact = Validation.MAX_EXACT_INTEGER;
        assertThat(Validation.config("config", Map.of("n", exact, "m", -exact, "f", 1.5e300)))
                .isNull();

        for (Object number : List.of(
                exact + 1, -exact - 1, BigInteger.TEN.pow(400), new BigDecimal("1e400"), Double.POSITIVE_INFINITY)) {
            assertThat(Validation.config("config", Map.of("nested", List.of(Map.of("n", number)))))
                    .as(String.valueOf(number))
                    .contains("integers beyond 2^53");
        }
    }
}
