package org.lxj.core.internal.config;

/** How LXC's {@code parse_line} reads one line: blanks, comments, {@code key = value}, dequoting. */
final class LineSyntax {

    /** What a line is. */
    enum Kind {
        BLANK, COMMENT, ENTRY,
        /** A line that does not start with {@code lxc.} (or {@code lxj.}): LXC ignores it. */
        FOREIGN,
        /** A {@code lxc.} line without {@code =}. */
        MALFORMED
    }

    /** One split line; key and value are null unless {@code kind == ENTRY}. */
    record Split(Kind kind, String key, String value) {
    }

    private LineSyntax() {
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
    }

    static String strip(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && isSpace(s.charAt(b))) {
            b++;
        }
        while (e > b && isSpace(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(b, e);
    }

    static Split split(String line) {
        String s = strip(line);
        if (s.isEmpty()) {
            return new Split(Kind.BLANK, null, null);
        }
        if (s.charAt(0) == '#') {
            return new Split(Kind.COMMENT, null, null);
        }
        if (!s.startsWith("lxc.") && !s.startsWith("lxj.")) {
            return new Split(Kind.FOREIGN, null, null);
        }
        int eq = s.indexOf('=');
        if (eq < 0) {
            return new Split(Kind.MALFORMED, null, null);
        }
        return new Split(Kind.ENTRY, strip(s.substring(0, eq)), dequote(strip(s.substring(eq + 1))));
    }

    /** Removes one pair of matching surrounding quotes, as LXC does. */
    static String dequote(String v) {
        if (v.length() >= 2) {
            char q = v.charAt(0);
            if ((q == '"' || q == '\'') && v.charAt(v.length() - 1) == q) {
                return v.substring(1, v.length() - 1);
            }
        }
        return v;
    }
}
