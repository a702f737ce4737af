package org.lxj.linux.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A kernel {@code .config} (plain or gzip, as {@code /proc/config.gz}).
 *
 * @param location where it was read, as shown to the user
 * @param values   {@code CONFIG_X} to its value ({@code y}, {@code m}, {@code "text"}); unset symbols absent
 * @param version  the kernel version from the {@code # Linux/x86 6.18.44 Kernel Configuration} header, if any
 */
record KernelConfig(String location, Map<String, String> values, Optional<KernelVersion> version) {

    private static final Pattern HEADER = Pattern.compile("^# Linux.* (\\d+)\\.(\\d+)\\.\\d+.*Kernel Configuration");

    /** Built in or as a module ({@code =y} or {@code =m}), as lxc-checkconfig's {@code is_set}. */
    boolean isSet(String symbol) {
        String v = values.get(symbol);
        return "y".equals(v) || "m".equals(v);
    }

    /** The value of {@code symbol} as written ({@code y}, {@code m}), empty when not set. */
    Optional<String> value(String symbol) {
        return Optional.ofNullable(values.get(symbol));
    }

    static KernelConfig parse(String location, String text) {
        Map<String, String> values = new HashMap<>();
        Optional<KernelVersion> version = Optional.empty();
        for (String line : text.split("\n")) {
            if (line.startsWith("CONFIG_")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            } else if (version.isEmpty()) {
                Matcher m = HEADER.matcher(line);
                if (m.find()) {
                    version = Optional.of(new KernelVersion(Integer.parseInt(m.group(1)),
                            Integer.parseInt(m.group(2))));
                }
            }
        }
        return new KernelConfig(location, values, version);
    }

    /** Reads {@code file}, gunzipping it when it is gzip; empty when it cannot be read. */
    static Optional<KernelConfig> read(Path file, String location) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b1 = raw.read();
            int b2 = raw.read();
            raw.reset();
            InputStream in = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(raw) : raw;
            return Optional.of(parse(location, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
