package org.lxj.core.internal.config;

import java.util.Locale;

/** Strict decimal parsing: digits only (an optional leading minus where allowed), no overflow. */
final class Numbers {
    private Numbers() {
    }

    static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** An unsigned decimal that fits a long. */
    static long parseUnsigned(String s, String what) throws InvalidValueException {
        if (!isDigits(s) || s.length() > 19) {
            throw new InvalidValueException("Invalid number \"" + s + "\": expected " + what);
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new InvalidValueException("Invalid number \"" + s + "\": expected " + what);
        }
    }

    static int parseInt(String s, String what) throws InvalidValueException {
        long v = parseUnsigned(s, what);
        if (v > Integer.MAX_VALUE) {
            throw new InvalidValueException("Number " + s + " is too large: expected " + what);
        }
        return (int) v;
    }

    /** An unsigned number in {@code [min, max]}. */
    static long range(String s, long min, long max, String what) throws InvalidValueException {
        long v = parseUnsigned(s, what + " (" + min + ".." + max + ")");
        if (v < min || v > max) {
            throw new InvalidValueException("Number " + s + " is out of range: expected " + what + " (" + min
                    + ".." + max + ")");
        }
        return v;
    }

    /** A signed number, optional leading minus. */
    static long parseSigned(String s, String what) throws InvalidValueException {
        if (s.startsWith("-")) {
            return -parseUnsigned(s.substring(1), what);
        }
        return parseUnsigned(s, what);
    }

    /**
     * A byte size: digits with an optional unit {@code B, k, kB, K, KB, M, MB, G, GB} (powers of 1024).
     */
    static long byteSize(String s) throws InvalidValueException {
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        String digits = s.substring(0, i);
        String unit = s.substring(i).trim().toUpperCase(Locale.ROOT);
        String what = "a size in bytes with an optional unit B, kB, MB or GB";
        long n = parseUnsigned(digits, what);
        long mult = switch (unit) {
            case "", "B" -> 1L;
            case "K", "KB" -> 1L << 10;
            case "M", "MB" -> 1L << 20;
            case "G", "GB" -> 1L << 30;
            default -> throw new InvalidValueException("Invalid size unit \"" + s.substring(i) + "\": expected "
                    + what);
        };
        if (n > Long.MAX_VALUE / mult) {
            throw new InvalidValueException("Size " + s + " is too large");
        }
        return n * mult;
    }
}
