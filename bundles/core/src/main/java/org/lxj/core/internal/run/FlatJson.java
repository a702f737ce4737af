package org.lxj.core.internal.run;

import java.util.LinkedHashMap;
import java.util.Map;

/** A JSON object of strings, numbers and booleans, one level deep: all {@code state.json} needs. */
final class FlatJson {
    private FlatJson() {
    }

    static String write(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            sb.append("  ").append(quote(e.getKey())).append(": ");
            Object v = e.getValue();
            sb.append(v instanceof String s ? quote(s) : String.valueOf(v));
            sb.append(++i < m.size() ? ",\n" : "\n");
        }
        return sb.append("}\n").toString();
    }

    /** The members, every value as text (strings unescaped). */
    static Map<String, String> read(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Cursor c = new Cursor(text);
        c.skip();
        c.expect('{');
        c.skip();
        if (c.peek() == '}') {
            return out;
        }
        while (true) {
            c.skip();
            String key = c.string();
            c.skip();
            c.expect(':');
            c.skip();
            String value = c.peek() == '"' ? c.string() : c.bare();
            out.put(key, value);
            c.skip();
            char next = c.next();
            if (next == '}') {
                return out;
            }
            if (next != ',') {
                throw new IllegalArgumentException("Expected \",\" or \"}\" at offset " + (c.pos - 1));
            }
        }
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static final class Cursor {
        final String t;
        int pos;

        Cursor(String t) {
            this.t = t;
        }

        char peek() {
            if (pos >= t.length()) {
                throw new IllegalArgumentException("Unexpected end of JSON");
            }
            return t.charAt(pos);
        }

        char next() {
            char ch = peek();
            pos++;
            return ch;
        }

        void skip() {
            while (pos < t.length() && Character.isWhitespace(t.charAt(pos))) {
                pos++;
            }
        }

        void expect(char ch) {
            if (next() != ch) {
                throw new IllegalArgumentException("Expected \"" + ch + "\" at offset " + (pos - 1));
            }
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char ch = next();
                if (ch == '"') {
                    return sb.toString();
                }
                if (ch != '\\') {
                    sb.append(ch);
                    continue;
                }
                char esc = next();
                switch (esc) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (pos + 4 > t.length()) {
                            throw new IllegalArgumentException("Truncated \\u escape");
                        }
                        sb.append((char) Integer.parseInt(t.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> sb.append(esc);
                }
            }
        }

        String bare() {
            int start = pos;
            while (pos < t.length() && ",}".indexOf(t.charAt(pos)) < 0 && !Character.isWhitespace(t.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw new IllegalArgumentException("Expected a value at offset " + start);
            }
            return t.substring(start, pos);
        }
    }
}
