package io.tessera.benchmarks.load;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/** Ranks 0..n-1 drawn with probability proportional to 1 / (rank + 1)^s: rank 0 is the busiest. */
public final class Zipf {

    private final double[] cdf;

    public Zipf(int n, double exponent) {
        cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, exponent);
            cdf[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cdf[k] /= sum;
        }
    }

    public int next() {
        return rankAt(ThreadLocalRandom.current().nextDouble());
    }

    /** The rank at a point u in [0, 1) of the cumulative distribution. */
    int rankAt(double u) {
        int at = Arrays.binarySearch(cdf, u);
        return Math.min(cdf.length - 1, at >= 0 ? at + 1 : -at - 1);
    }

    public double probability(int rank) {
        return rank == 0 ? cdf[0] : cdf[rank] - cdf[rank - 1];
    }
}
