package org.lxj.core.internal.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.launch.ConsoleSpec;

/**
 * The console and tty keys ({@code lxc.console.*}, {@code lxc.tty.*}, {@code lxc.pty.max}) as a
 * {@link ConsoleSpec}. The parser has checked each value's form; this reads them with LXC's rules ({@code auto}
 * is 128 KiB, a non-zero size below a page is a page) and refuses what LXJ cannot do: a host device as console.
 */
final class ConsoleKeys {
    /** LXC's {@code auto} for {@code lxc.console.buffer.size} and {@code lxc.console.size}. */
    static final int AUTO_SIZE = 128 * 1024;
    /** LXC's smallest ring buffer or log limit. */
    static final int PAGE_SIZE = 4096;

    private ConsoleKeys() {
    }

    /** The console of {@code lxc-start}: a pty unless {@code lxc.console.path = none}. */
    static ConsoleSpec start(ContainerConfig config) {
        ConsoleSpec.Console console = path(config);
        Optional<Path> log = text(config, "lxc.console.logfile").map(Path::of);
        long bufferSize = size(config, "lxc.console.buffer.size");
        if (bufferSize > Integer.MAX_VALUE) {
            throw refusal(config, "lxc.console.buffer.size", "a ring buffer of at most 2 GiB - 1");
        }
        return new ConsoleSpec(console, (int) number(config, "lxc.tty.max"), text(config, "lxc.tty.dir").orElse(""),
                (int) Math.min(Integer.MAX_VALUE, number(config, "lxc.pty.max")), log, (int) bufferSize, 0, 0,
                size(config, "lxc.console.size"), text(config, "lxc.console.rotate").filter("1"::equals).isPresent());
    }

    /** The console of {@code lxc-execute}: the caller's own stdio, no ttys. */
    static ConsoleSpec execute() {
        return new ConsoleSpec(ConsoleSpec.Console.INHERIT, 0, "", 0, Optional.empty(), 0, 0, 0);
    }

    private static ConsoleSpec.Console path(ContainerConfig config) {
        Optional<String> path = text(config, "lxc.console.path");
        if (path.isEmpty()) {
            return ConsoleSpec.Console.PTY;
        }
        if (path.get().equals("none")) {
            return ConsoleSpec.Console.NONE;
        }
        throw refusal(config, "lxc.console.path", "a pty (leave the key unset) or none; a host device as console "
                + "is not supported by LXJ");
    }

    private static UnsupportedFeatureException refusal(ContainerConfig config, String key, String expected) {
        List<ConfigEntry> entries = config.entries().stream().filter(e -> e.key().equals(key)).toList();
        String value = config.value(key).map(String::trim).orElse("");
        String where = entries.isEmpty() ? "" : " (" + entries.get(entries.size() - 1).file() + ":"
                + entries.get(entries.size() - 1).line() + ")";
        return new UnsupportedFeatureException("Config key \"" + key + "\" value \"" + value + "\"" + where
                + ": expected " + expected);
    }

    private static Optional<String> text(ContainerConfig config, String key) {
        return config.value(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static long number(ContainerConfig config, String key) {
        return text(config, key).map(Long::parseLong).orElse(0L);
    }

    /** A size key: {@code auto}, 0, or at least a page; units B, K(B), M(B), G(B) in powers of 1024. */
    static long size(ContainerConfig config, String key) {
        Optional<String> v = text(config, key);
        if (v.isEmpty()) {
            return 0;
        }
        if (v.get().equals("auto")) {
            return AUTO_SIZE;
        }
        long bytes = bytes(v.get());
        return bytes == 0 ? 0 : Math.max(PAGE_SIZE, bytes);
    }

    static long bytes(String s) {
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        long n = Long.parseLong(s.substring(0, i));
        int shift = switch (s.substring(i).trim().toUpperCase(Locale.ROOT)) {
            case "", "B" -> 0;
            case "K", "KB" -> 10;
            case "M", "MB" -> 20;
            case "G", "GB" -> 30;
            default -> throw new IllegalArgumentException("Invalid size \"" + s + "\"");
        };
        return n << shift;
    }
}
