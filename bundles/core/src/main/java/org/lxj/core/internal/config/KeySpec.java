package org.lxj.core.internal.config;

/**
 * One row of the key table.
 *
 * @param name    the key, or for a prefix row the prefix without its trailing dot ({@code lxc.cgroup2})
 * @param shape   how the key is matched and cleared
 * @param list    whether repeated lines add up (list key) rather than replace (scalar key)
 * @param check   the validator of non-empty values
 * @param print   how {@code get_config_item} prints the key
 * @param unset   what {@code get_config_item} prints for a scalar that is not set
 * @param family  the family an empty root value clears ({@code lxc.hook}, {@code lxc.net}, ...), or null
 */
record KeySpec(String name, Shape shape, boolean list, ValueCheck check, Print print, String unset, String family) {

    /** How a key is matched. */
    enum Shape {
        /** The exact key. */
        EXACT,
        /** {@code name.SUBKEY} with a free-form subkey. */
        PREFIX,
        /** A family root that only takes an empty value, clearing its family ({@code lxc.hook}, {@code lxc.net}). */
        ROOT
    }

    /** How {@code get_config_item} prints a key. */
    enum Print {
        TEXT, NUMBER, LINES, TOKENS, NAMESPACES, JOINED, SIGNAL, LOG_LEVEL, ARCH, SIZE, TIME_BOOT,
        TIME_MONOTONIC, MOUNT_AUTO, ROOTFS_PATH, FAMILY, FAMILY_LAST, FAMILY_LINES, INVALID
    }
}
