package org.lxj.shell.internal.format;

import java.util.List;

/**
 * {@code lxc-ls}'s default listing: names padded to a common width (at least that of the {@code NAME}
 * header), as many per line as fit the terminal, one blank between them. With no terminal (width 0) every
 * name ends its own line, still padded.
 */
public final class NameColumns {

    private static final int MIN_WIDTH = "NAME".length();

    private NameColumns() {
    }

    public static String format(List<String> names, int terminalWidth) {
        int width = MIN_WIDTH;
        for (String n : names) {
            width = Math.max(width, n.length());
        }
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (String n : names) {
            out.append(n).append(" ".repeat(width - n.length()));
            used += width;
            if (used + width >= terminalWidth) {
                out.append('\n');
                used = 0;
            } else {
                out.append(' ');
                used++;
            }
        }
        if (used > 0) {
            out.append('\n');
        }
        return out.toString();
    }
}
