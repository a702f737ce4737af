package org.lxj.security.seccomp.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader for seccomp profiles: objects become {@link Obj} (with the line they start on),
 * arrays {@link List}, numbers {@link BigDecimal}, and strings, booleans and null as in Java.
 */
final class Json {

    /** A JSON object and the 1-based line of its opening brace. */
    record Obj(Map<String, Object> fields, int line) {
    }

    /** A syntax error at a line. */
    static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int line;

        SyntaxError(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    private final String s;
    private int pos;
    private int line = 1;

    private Json(String s) {
        this.s = s;
    }

    static Object parse(String text) {
        Json j = new Json(text);
        Object v = j.value();
        j.space();
        if (j.pos != j.s.length()) {
            throw j.fail("unexpected \"" + j.s.charAt(j.pos) + "\" after the value");
        }
        return v;
    }

    private Object value() {
        space();
        if (pos >= s.length()) {
            throw fail("unexpected end of input");
        }
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Obj object() {
        int start = line;
        pos++;
        Map<String, Object> fields = new LinkedHashMap<>();
        space();
        if (peek() == '}') {
            pos++;
            return new Obj(fields, start);
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw fail("expected a field name");
            }
            String key = string();
            space();
            expect(':');
            fields.put(key, value());
            space();
            char c = next();
            if (c == '}') {
                return new Obj(fields, start);
            }
            if (c != ',') {
                throw fail("expected \",\" or \"}\"");
            }
        }
    }

    private List<Object> array() {
        pos++;
        List<Object> items = new ArrayList<>();
        space();
        if (peek() == ']') {
            pos++;
            return items;
        }
        while (true) {
            items.add(value());
            space();
            char c = next();
            if (c == ']') {
                return items;
            }
            if (c != ',') {
                throw fail("expected \",\" or \"]\"");
            }
        }
    }

    private String string() {
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c == '\n') {
                throw fail("unterminated string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) {
                        throw fail("bad \\u escape");
                    }
                    b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> throw fail("bad escape \"\\" + e + "\"");
            }
        }
    }

    private BigDecimal number() {
        int start = pos;
        while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
            pos++;
        }
        try {
            return new BigDecimal(s.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw fail("unexpected \"" + (start < s.length() ? s.charAt(start) : ' ') + "\"");
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) {
            throw fail("unexpected \"" + s.charAt(pos) + "\"");
        }
        pos += word.length();
        return v;
    }

    private void space() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            if (s.charAt(pos) == '\n') {
                line++;
            }
            pos++;
        }
    }

    private char peek() {
        if (pos >= s.length()) {
            throw fail("unexpected end of input");
        }
        return s.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            pos--;
            throw fail("expected \"" + c + "\"");
        }
    }

    private SyntaxError fail(String message) {
        return new SyntaxError(line, message);
    }
}
