package org.lxj.security.caps.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.lxj.spi.backend.BackendException;

/**
 * The runtime's own capability bounding set, from the {@code CapBnd:} line of {@code /proc/self/status}.
 * A container cannot be granted what the runtime itself lacks (a host that runs LXJ inside a restricted
 * sandbox may miss, say, {@code sys_resource}): {@code capset} refuses such a permitted set with EPERM, so
 * the sets are limited to it before they reach the plan, as a root exec would limit them anyway.
 */
final class HostBounding {

    static final Path PROC_FILE = Path.of("/proc/self/status");
    private static final String FIELD = "CapBnd:";

    private HostBounding() {
    }

    /**
     * Reads the bounding mask from {@code file}.
     *
     * @throws BackendException when it cannot be read or has no valid {@code CapBnd:} line
     */
    static long read(Path file) {
        String text;
        try (InputStream in = Files.newInputStream(file)) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException | SecurityException e) {
            throw new BackendException("Failed to read \"" + file + "\": " + e.getMessage(), e);
        }
        for (String line : text.split("\n")) {
            if (line.startsWith(FIELD)) {
                String hex = line.substring(FIELD.length()).trim();
                try {
                    return Long.parseUnsignedLong(hex, 16);
                } catch (NumberFormatException e) {
                    throw new BackendException("Invalid bounding set \"" + hex + "\" in \"" + file
                            + "\": expected 16 hex digits", e);
                }
            }
        }
        throw new BackendException("No \"" + FIELD + "\" line in \"" + file + "\"");
    }
}
