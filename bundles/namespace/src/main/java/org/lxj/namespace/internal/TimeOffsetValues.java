package org.lxj.namespace.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lxj.spi.launch.TimeOffsets;

/** Parses {@code lxc.time.offset.boot} and {@code .monotonic}: {@code -5s}, {@code 2h}, {@code 10ms}, ... */
final class TimeOffsetValues {

    static final String BOOT = "lxc.time.offset.boot";
    static final String MONOTONIC = "lxc.time.offset.monotonic";
    private static final Pattern OFFSET = Pattern.compile("(-?)(\\d{1,19})(h|m|s|ms|us|ns)");

    private TimeOffsetValues() {
    }

    /**
     * The offsets the configuration asks for; empty when neither key is set or both are zero, as LXC only
     * creates a time namespace for offsets that change something.
     */
    static Optional<TimeOffsets> parse(ConfigValues config) {
        Duration boot = offset(config, BOOT);
        Duration monotonic = offset(config, MONOTONIC);
        TimeOffsets offsets = new TimeOffsets(monotonic, boot);
        return offsets.isZero() ? Optional.empty() : Optional.of(offsets);
    }

    /** A key that set a non-zero offset, for messages. */
    static String keyOf(TimeOffsets offsets) {
        return offsets.boottime().isZero() ? MONOTONIC : BOOT;
    }

    private static Duration offset(ConfigValues config, String key) {
        Optional<String> value = config.value(key);
        if (value.isEmpty()) {
            return Duration.ZERO;
        }
        String v = value.get().trim();
        Matcher m = OFFSET.matcher(v);
        if (!m.matches()) {
            throw config.invalid(key, v, "Invalid " + key + " \"" + v
                    + "\": expected an integer with a unit h, m, s, ms, us or ns (e.g. -10s)");
        }
        try {
            long n = Long.parseLong(m.group(2));
            Duration d = switch (m.group(3)) {
                case "h" -> Duration.ofSeconds(Math.multiplyExact(n, 3600L));
                case "m" -> Duration.ofSeconds(Math.multiplyExact(n, 60L));
                case "s" -> Duration.ofSeconds(n);
                case "ms" -> Duration.ofMillis(n);
                case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
                default -> Duration.ofNanos(n);
            };
            if (Math.abs(d.getSeconds()) >= TimeOffsets.MAX_SECONDS) {
                throw new ArithmeticException("beyond the kernel's range");
            }
            return m.group(1).isEmpty() ? d : d.negated();
        } catch (NumberFormatException | ArithmeticException e) {
            throw config.invalid(key, v, "Invalid " + key + " \"" + v + "\": the offset is out of range: expected at "
                    + "most " + (TimeOffsets.MAX_SECONDS - 1) + " seconds either way");
        }
    }
}
