package io.imgstream.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Order statistics of a sample. */
final class Stats {

    private final List<Double> values = new ArrayList<>();

    void add(double v) {
        values.add(v);
    }

    private double at(double q) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    double min() {
        return Collections.min(values);
    }

    double max() {
        return Collections.max(values);
    }

    double median() {
        return at(0.5);
    }

    double p99() {
        return at(0.99);
    }

    int count() {
        return values.size();
    }
}
