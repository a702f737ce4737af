package org.lxj.linux.internal;

import java.util.Optional;
import java.util.function.Supplier;
import org.lxj.linux.check.CheckLine;
import org.lxj.linux.check.CheckStatus;

/**
 * Turns a kernel option into a check line: from the kernel configuration when there is one (as
 * lxc-checkconfig does), else from a runtime probe of the running kernel.
 */
final class Verdicts {

    private final Optional<KernelConfig> config;
    private final KernelProbe probe;

    Verdicts(Optional<KernelConfig> config, KernelProbe probe) {
        this.config = config;
        this.probe = probe;
    }

    Optional<KernelConfig> config() {
        return config;
    }

    KernelProbe probe() {
        return probe;
    }

    /** Whether {@code symbol} is on, by the configuration or the probe; unknown counts as on. */
    boolean isSet(String symbol, Supplier<Evidence> runtime) {
        return config.map(c -> c.isSet(symbol))
                .orElseGet(() -> runtime.get().answer() != Evidence.Answer.ABSENT);
    }

    /** {@code label: enabled|missing|required}, from {@code symbol} or the runtime probe. */
    CheckLine option(String label, String symbol, boolean mandatory, Supplier<Evidence> runtime) {
        CheckStatus absent = mandatory ? CheckStatus.REQUIRED : CheckStatus.MISSING;
        if (config.isPresent()) {
            KernelConfig c = config.get();
            return c.isSet(symbol)
                    ? CheckLine.verdict(label, CheckStatus.ENABLED,
                            symbol + "=" + c.value(symbol).orElse("") + " in " + c.location())
                    : CheckLine.verdict(label, absent, symbol + " is not set in " + c.location());
        }
        Evidence e = runtime.get();
        switch (e.answer()) {
            case PRESENT:
                return CheckLine.verdict(label, CheckStatus.ENABLED, e.text());
            case ABSENT:
                return CheckLine.verdict(label, absent, e.text());
            default:
                return CheckLine.verdict(label, CheckStatus.UNKNOWN, e.text());
        }
    }

    /** Appends lxc-checkconfig's {@code , loaded} / {@code , not loaded} to an enabled line on a modular kernel. */
    CheckLine withModule(CheckLine line, String module) {
        if (line.status() != CheckStatus.ENABLED || !probe.moduleSupport()) {
            return line;
        }
        return line.withDetail(probe.moduleLoaded(module) ? "loaded" : "not loaded");
    }

    /** A line decided by a probe alone, as lxc-checkconfig's cgroup namespace test. */
    static CheckLine probed(String label, Evidence e, boolean mandatory) {
        CheckStatus absent = mandatory ? CheckStatus.REQUIRED : CheckStatus.MISSING;
        CheckStatus status = switch (e.answer()) {
            case PRESENT -> CheckStatus.ENABLED;
            case ABSENT -> absent;
            case UNKNOWN -> CheckStatus.UNKNOWN;
        };
        return CheckLine.verdict(label, status, e.text());
    }
}
