package org.lxj.api.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A container's configuration after parsing and validation, includes resolved: the typed view later
 * issues consume and the raw entries the shell prints.
 */
@ProviderType
public interface ContainerConfig {

    /** The file this configuration was read from; empty for one built in memory. */
    Optional<Path> source();

    /** Every effective entry in file order, includes expanded in place (clearing lines applied). */
    List<ConfigEntry> entries();

    /**
     * A key's value as {@code lxc-info -c KEY} and {@code lxc_container::get_config_item} print it:
     * the single value of a scalar key, the values of a list key joined by newlines (with LXC's trailing
     * newline where it prints one), the {@code key = value} lines of a prefix such as {@code lxc.prlimit},
     * and LXC's default for an unset numeric key. Empty when LXC prints nothing for the key.
     *
     * @throws org.lxj.api.ConfigException when the key is not a known configuration key or LXC has no
     *         value for it ({@code lxc.net.0}, a NIC index that is not configured, {@code lxc.include})
     */
    Optional<String> item(String key);

    /** All values of a (list) key in order; the last one wins for scalar keys. */
    List<String> values(String key);

    /** The last value of a key, if set. */
    default Optional<String> value(String key) {
        List<String> v = values(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    /** {@code lxc.uts.name}, if set. */
    default Optional<String> utsName() {
        return value("lxc.uts.name");
    }

    /** {@code lxc.rootfs.path} as written (with any {@code type:} prefix), if set. */
    default Optional<String> rootfsPath() {
        return value("lxc.rootfs.path");
    }
}
