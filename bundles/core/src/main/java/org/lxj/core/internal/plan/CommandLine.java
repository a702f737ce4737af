package org.lxj.core.internal.plan;

import java.util.ArrayList;
import java.util.List;

/** Splits a command written in a config value ({@code lxc.init.cmd}) into words, honouring quotes. */
final class CommandLine {
    private CommandLine() {
    }

    /**
     * Words separated by blanks; single and double quotes group blanks, a backslash escapes the next character
     * outside single quotes.
     *
     * @throws IllegalArgumentException on an unterminated quote
     */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
                inWord = true;
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == ' ' || c == '\t') {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("Unterminated " + quote + " in \"" + text + "\"");
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }
}
