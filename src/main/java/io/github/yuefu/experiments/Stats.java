package io.github.yuefu.experiments;

import java.util.List;

/** Mean and sample standard deviation (n − 1; NaN for a single value: one seed says nothing about spread). */
public record Stats(double mean, double std, int n) {

    public static Stats of(List<Double> xs) {
        int n = xs.size();
        if (n == 0) return new Stats(Double.NaN, Double.NaN, 0);
        double sum = 0;
        for (double x : xs) sum += x;
        double mean = sum / n;
        if (n == 1) return new Stats(mean, Double.NaN, 1);
        double ss = 0;
        for (double x : xs) ss += (x - mean) * (x - mean);
        return new Stats(mean, Math.sqrt(ss / (n - 1)), n);
    }
}
