package org.lxj.spi.backend;

import java.util.Objects;

/**
 * A backend's answer to "can you work here?", with the reason shown by {@code lxj:backends} and in
 * errors.
 *
 * @param available whether the backend can serve on this host
 * @param reason    why (e.g. {@code "btrfs is not in /proc/filesystems"})
 */
public record Detection(boolean available, String reason) {
    public Detection {
        Objects.requireNonNull(reason, "reason");
    }

    public static Detection available(String reason) {
        return new Detection(true, reason);
    }

    public static Detection unavailable(String reason) {
        return new Detection(false, reason);
    }
}
