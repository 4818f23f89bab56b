package io.tessera.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ZipfTest {

    @Test
    void theFirstRankIsTheBusiestAndTheShapeFollowsTheExponent() {
        Zipf zipf = new Zipf(100, 1.1);
        assertThat(zipf.probability(0)).isGreaterThan(zipf.probability(1));
        assertThat(zipf.probability(0) / zipf.probability(1)).isCloseTo(Math.pow(2, 1.1), within(1e-9));
        double total = 0;
        for (int k = 0; k < 100; k++) {
            total += zipf.probability(k);
        }
        assertThat(total).isCloseTo(1, within(1e-9));
    }

    @Test
    void mapsTheWholeUnitIntervalOntoRanks() {
        Zipf zipf = new Zipf(10, 1);
        assertThat(zipf.rankAt(0)).isZero();
        assertThat(zipf.rankAt(zipf.probability(0) / 2)).isZero();
        assertThat(zipf.rankAt(0.999999)).isEqualTo(9);
    }
}
