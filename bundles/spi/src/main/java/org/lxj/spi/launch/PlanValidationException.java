package org.lxj.spi.launch;

import java.util.Optional;

import org.lxj.api.LxjException;

/**
 * A launch plan step is invalid: names the step's field, the offending value and what was expected, as in
 * {@code Invalid mount target "proc": not an absolute path}. Thrown by the plan's records when one is made
 * and by {@link LaunchPlan.Builder#build()} for rules that span several steps. It always means a bug in a
 * contributor or a configuration value that slipped past validation, never a host failure.
 */
public class PlanValidationException extends LxjException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;

    /**
     * @param field  what was being checked ({@code "mount target"}, {@code "uid"}, ...)
     * @param value  the offending value, or null when the rule is about an absence
     * @param reason what is wrong, starting in lower case ({@code "not an absolute path"})
     */
    public PlanValidationException(String field, String value, String reason) {
        super(value == null ? "Invalid " + field + ": " + reason
                : "Invalid " + field + " \"" + printable(value) + "\": " + reason);
        this.field = field;
        this.value = value;
    }

    private static String printable(String value) {
        return value.replace("\0", "\\0");
    }

    /** What was being checked. */
    public String field() {
        return field;
    }

    /** The offending value, if the rule is about a value. */
    public Optional<String> value() {
        return Optional.ofNullable(value);
    }
}
