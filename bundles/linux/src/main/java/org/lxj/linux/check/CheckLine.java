package org.lxj.linux.check;

import java.util.List;
import java.util.Objects;

/**
 * One line of the report (with its sub-items).
 *
 * @param label    {@code Pid namespace}, {@code Cgroup v1 mount points}; for a {@link CheckStatus#NOTE}
 *                 the whole sentence
 * @param status   the verdict, or {@link CheckStatus#INFO} / {@link CheckStatus#NOTE}
 * @param detail   printed after the verdict as {@code , detail} ({@code loaded}) or as the value of an INFO
 *                 line; empty for none
 * @param items    sub-lines printed as {@code  - item} below the line (mount points)
 * @param evidence how the verdict was reached ({@code CONFIG_PID_NS=y in /proc/config.gz},
 *                 {@code /proc/self/ns/pid exists}); not part of lxc-checkconfig's text
 */
public record CheckLine(String label, CheckStatus status, String detail, List<String> items, String evidence) {
    public CheckLine {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(evidence, "evidence");
        items = List.copyOf(items);
    }

    public static CheckLine verdict(String label, CheckStatus status, String evidence) {
        return new CheckLine(label, status, "", List.of(), evidence);
    }

    public static CheckLine info(String label, String value, String evidence) {
        return new CheckLine(label, CheckStatus.INFO, value, List.of(), evidence);
    }

    public static CheckLine list(String label, List<String> items, String evidence) {
        return new CheckLine(label, CheckStatus.INFO, "", items, evidence);
    }

    public static CheckLine note(String sentence) {
        return new CheckLine(sentence, CheckStatus.NOTE, "", List.of(), "");
    }

    /** The same line with {@code detail} set. */
    public CheckLine withDetail(String newDetail) {
        return new CheckLine(label, status, newDetail, items, evidence);
    }
}
