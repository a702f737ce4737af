package org.lxj.linux.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Parses {@code /proc/<pid>/mountinfo} (proc(5)). */
final class MountInfo {

    private MountInfo() {
    }

    static List<MountEntry> parse(String text) {
        List<MountEntry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                out.add(parseLine(line));
            }
        }
        return out;
    }

    static MountEntry parseLine(String line) {
        String[] f = line.trim().split(" ");
        int sep = -1;
        for (int i = 6; i < f.length; i++) {
            if (f[i].equals("-")) {
                sep = i;
                break;
            }
        }
        if (sep < 0 || sep + 1 >= f.length) {
            throw new IllegalArgumentException("Malformed mountinfo line \"" + line + "\"");
        }
        String fsType = f[sep + 1];
        String source = sep + 2 < f.length ? unescape(f[sep + 2]) : "";
        String superOptions = sep + 3 < f.length ? f[sep + 3] : "";
        return new MountEntry(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], unescape(f[3]),
                Path.of(unescape(f[4])), fsType, source, superOptions);
    }

    /** The kernel writes space, tab, newline and backslash in paths as {@code \ooo} octal escapes. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
