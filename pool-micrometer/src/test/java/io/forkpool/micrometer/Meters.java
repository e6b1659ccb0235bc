package io.forkpool.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;

/** Reads one meter's value from a registry, for the tests' exact assertions. */
final class Meters {

    private Meters() {
    }

    static double counter(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    static double gauge(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    static double nanos(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).timeGauge().value(TimeUnit.NANOSECONDS);
    }
}
