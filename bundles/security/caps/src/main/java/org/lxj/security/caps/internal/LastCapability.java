package org.lxj.security.caps.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.lxj.spi.backend.BackendException;

/**
 * The highest capability number this kernel knows, from {@code /proc/sys/kernel/cap_last_cap}: the full set
 * {@code lxc.cap.drop} removes from is every capability up to it, not the ones this runtime happens to name.
 */
final class LastCapability {

    static final Path PROC_FILE = Path.of("/proc/sys/kernel/cap_last_cap");

    private LastCapability() {
    }

    /**
     * Reads {@code file}.
     *
     * @throws BackendException when it cannot be read or does not hold a number from 0 to 63
     */
    static int read(Path file) {
        String text;
        // Not Files.readString: it trusts the size procfs reports and returned "4" for "40" on kernel 6.18.
        try (InputStream in = Files.newInputStream(file)) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException | SecurityException e) {
            throw new BackendException("Failed to read \"" + file + "\": " + e.getMessage(), e);
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 0 && n <= 63) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the text that was read
        }
        throw new BackendException("Invalid last capability \"" + text + "\" in \"" + file
                + "\": expected a number from 0 to 63");
    }
}
