package org.lxj.api;

import java.nio.file.Path;
import java.util.Optional;

/**
 * An invalid configuration: names the file, the line, the key and the value, and says what was expected.
 * The message reads {@code <file>:<line>: <what>}.
 */
public class ConfigException extends LxjException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String key;
    private final String value;

    /**
     * @param file   the file, or null for a value that came from no file (a command-line {@code -s KEY=VAL})
     * @param line   1-based line number, 0 when unknown
     * @param key    the key, or null when the line has none
     * @param value  the offending value, or null
     * @param reason what is wrong and what was expected
     */
    public ConfigException(Path file, int line, String key, String value, String reason) {
        super(format(file, line, reason));
        this.file = file;
        this.line = line;
        this.key = key;
        this.value = value;
    }

    private static String format(Path file, int line, String reason) {
        if (file == null) {
            return reason;
        }
        return line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason;
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    public int line() {
        return line;
    }

    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    public Optional<String> value() {
        return Optional.ofNullable(value);
    }
}
