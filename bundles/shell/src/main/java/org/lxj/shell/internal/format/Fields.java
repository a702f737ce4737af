package org.lxj.shell.internal.format;

/** {@code lxc-info}'s field lines: the label left-aligned in 15 columns, a blank, the value. */
public final class Fields {

    private static final int LABEL_WIDTH = 15;

    private final StringBuilder text = new StringBuilder();

    /** Appends {@code label} (with its colon, as given) and {@code value}. */
    public Fields add(String label, Object value) {
        text.append(label);
        text.append(" ".repeat(Math.max(0, LABEL_WIDTH - label.length())));
        text.append(' ').append(value).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
