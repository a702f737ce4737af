package org.lxj.spi.launch;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A resource limit set on the container's init with {@code prlimit} ({@code lxc.prlimit.<name>}).
 *
 * @param resource which limit
 * @param soft     the soft limit, {@link #UNLIMITED} for none
 * @param hard     the hard limit, {@link #UNLIMITED} for none; at least {@code soft}
 */
public record Rlimit(Resource resource, long soft, long hard) {

    /** {@code RLIM_INFINITY}, as a signed long. */
    public static final long UNLIMITED = -1L;

    /** The kernel's {@code RLIMIT_*} resources with their numbers. */
    public enum Resource {
        CPU(0), FSIZE(1), DATA(2), STACK(3), CORE(4), RSS(5), NPROC(6), NOFILE(7), MEMLOCK(8), AS(9),
        LOCKS(10), SIGPENDING(11), MSGQUEUE(12), NICE(13), RTPRIO(14), RTTIME(15);

        private final int number;

        Resource(int number) {
            this.number = number;
        }

        /** The {@code RLIMIT_*} number. */
        public int number() {
            return number;
        }

        /** The name {@code lxc.prlimit.<name>} uses: lower case, no {@code RLIMIT_} prefix. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The resource for {@code nofile}, {@code NOFILE} or {@code RLIMIT_NOFILE}. */
        public static Optional<Resource> find(String name) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            if (n.startsWith("RLIMIT_")) {
                n = n.substring("RLIMIT_".length());
            }
            for (Resource r : values()) {
                if (r.name().equals(n)) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }

    public Rlimit {
        Objects.requireNonNull(resource, "resource");
        if (soft < UNLIMITED || hard < UNLIMITED) {
            throw new PlanValidationException("rlimit " + resource.configName(), soft + ":" + hard,
                    "limits must be non-negative or unlimited");
        }
        if (Long.compareUnsigned(soft, hard) > 0) {
            throw new PlanValidationException("rlimit " + resource.configName(), soft + ":" + hard,
                    "the soft limit exceeds the hard limit");
        }
    }

    /**
     * Parses an {@code lxc.prlimit} value: {@code soft[:hard]}, each a number or {@code unlimited}; a single
     * value sets both limits.
     *
     * @throws PlanValidationException naming the value when it is malformed
     */
    public static Rlimit parse(Resource resource, String value) {
        String[] parts = value.trim().split(":", -1);
        if (parts.length > 2) {
            throw new PlanValidationException("rlimit " + resource.configName(), value, "expected soft[:hard]");
        }
        long soft = parseLimit(resource, value, parts[0]);
        long hard = parts.length == 2 ? parseLimit(resource, value, parts[1]) : soft;
        return new Rlimit(resource, soft, hard);
    }

    private static long parseLimit(Resource resource, String value, String part) {
        String p = part.trim();
        if (p.equals("unlimited")) {
            return UNLIMITED;
        }
        try {
            long v = Long.parseLong(p);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the whole value
        }
        throw new PlanValidationException("rlimit " + resource.configName(), value,
                "expected a non-negative number or \"unlimited\"");
    }
}
