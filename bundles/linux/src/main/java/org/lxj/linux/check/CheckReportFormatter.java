package org.lxj.linux.check;

/** Lays a {@link CheckReport} out as lxc-checkconfig prints it. */
public final class CheckReportFormatter {
    private static final String GREEN = "\033[1;32m";
    private static final String RED = "\033[1;31m";
    private static final String YELLOW = "\033[1;33m";
    private static final String NORMAL = "\033[0;39m";

    private CheckReportFormatter() {
    }

    /**
     * The report as text, lines ending in {@code \n}. With {@code colour}, verdicts get lxc-checkconfig's
     * ANSI colours (use it only on a terminal).
     */
    public static String format(CheckReport report, boolean colour) {
        StringBuilder out = new StringBuilder();
        report.preamble().forEach(l -> out.append(l).append('\n'));
        for (CheckSection section : report.sections()) {
            out.append('\n').append("--- ").append(section.title()).append(" ---\n");
            section.lines().forEach(l -> line(out, l, colour));
        }
        if (!report.epilogue().isEmpty()) {
            out.append('\n');
            report.epilogue().forEach(l -> out.append(l).append('\n'));
            out.append('\n');
        }
        return out.toString();
    }

    private static void line(StringBuilder out, CheckLine l, boolean colour) {
        if (l.status() == CheckStatus.NOTE) {
            out.append(l.label()).append('\n');
            return;
        }
        out.append(l.label()).append(": ");
        if (l.status().isVerdict()) {
            out.append(colour ? colourOf(l.status()) + l.status().word() + NORMAL : l.status().word());
            if (!l.detail().isEmpty()) {
                out.append(", ").append(l.detail());
            }
        } else {
            out.append(l.detail());
        }
        out.append('\n');
        l.items().forEach(i -> out.append(" - ").append(i).append('\n'));
    }

    private static String colourOf(CheckStatus s) {
        switch (s) {
            case ENABLED:
                return GREEN;
            case REQUIRED:
            case FAILED:
                return RED;
            default:
                return YELLOW;
        }
    }
}
