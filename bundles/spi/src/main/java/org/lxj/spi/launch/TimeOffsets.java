package org.lxj.spi.launch;

import java.time.Duration;
import java.util.Objects;

/**
 * The clock offsets of a new time namespace ({@code lxc.time.offset.monotonic}, {@code lxc.time.offset.boot}).
 * The kernel takes them only before the first process enters the namespace, so the launcher does not pass
 * {@code CLONE_NEWTIME} to {@code clone3}: it calls {@code unshare(CLONE_NEWTIME)}, writes
 * {@link #timensOffsetsText()} to {@code /proc/self/timens_offsets} through its verified procfs handle, and
 * the next child it creates (the container's init) is born in the namespace.
 *
 * @param monotonic the offset of {@code CLOCK_MONOTONIC} (may be negative)
 * @param boottime  the offset of {@code CLOCK_BOOTTIME} (may be negative)
 * @since 1.1
 */
public record TimeOffsets(Duration monotonic, Duration boottime) {

    /** The largest offset in seconds the kernel accepts ({@code KTIME_SEC_MAX}). */
    public static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L;

    /** No offsets. */
    public static final TimeOffsets NONE = new TimeOffsets(Duration.ZERO, Duration.ZERO);

    public TimeOffsets {
        Objects.requireNonNull(monotonic, "monotonic");
        Objects.requireNonNull(boottime, "boottime");
        check("monotonic clock offset", monotonic);
        check("boottime clock offset", boottime);
    }

    private static void check(String field, Duration offset) {
        if (Math.abs(offset.getSeconds()) > MAX_SECONDS - 1) {
            throw new PlanValidationException(field, offset.toString(),
                    "must be within " + (MAX_SECONDS - 1) + " seconds either way");
        }
    }

    /** Whether both offsets are zero. */
    public boolean isZero() {
        return monotonic.isZero() && boottime.isZero();
    }

    /**
     * The text {@code /proc/PID/timens_offsets} takes: one line per clock, {@code <clock> <seconds>
     * <nanoseconds>} with the nanoseconds in {@code 0..999999999} (so -1.5 s is {@code -2 500000000}).
     */
    public String timensOffsetsText() {
        return line("monotonic", monotonic) + line("boottime", boottime);
    }

    private static String line(String clock, Duration d) {
        return clock + " " + d.getSeconds() + " " + d.getNano() + "\n";
    }
}
