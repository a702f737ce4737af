package org.lxj.api.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The runtime-wide configuration ({@code conf/lxj.conf}, LXC's {@code lxc.system.conf}).
 *
 * @param lxcpath        {@code lxc.lxcpath}: where containers live by default
 * @param defaultConfig  {@code lxc.default_config}: the file every new container's config starts from
 * @param lvmVg          {@code lxc.bdev.lvm.vg}
 * @param lvmThinPool    {@code lxc.bdev.lvm.thin_pool}
 * @param zfsRoot        {@code lxc.bdev.zfs.root}
 * @param cgroupUse      {@code lxc.cgroup.use}: comma list of controllers to use, or empty for all
 * @param cgroupPattern  {@code lxc.cgroup.pattern}: the payload cgroup pattern, {@code %n} the name
 * @param source         the file it came from, if any
 */
public record SystemConfig(Path lxcpath, Optional<Path> defaultConfig, String lvmVg, String lvmThinPool,
        String zfsRoot, String cgroupUse, String cgroupPattern, Optional<Path> source) {

    public static final Path DEFAULT_LXCPATH = Path.of("/var/lib/lxj");
    public static final String DEFAULT_LVM_VG = "lxc";
    public static final String DEFAULT_LVM_THIN_POOL = "lxc";
    public static final String DEFAULT_ZFS_ROOT = "lxc";
    public static final String DEFAULT_CGROUP_PATTERN = "lxc.payload.%n";

    public SystemConfig {
        Objects.requireNonNull(lxcpath, "lxcpath");
        Objects.requireNonNull(defaultConfig, "defaultConfig");
        Objects.requireNonNull(source, "source");
    }

    /** The built-in defaults, used when no file is given. */
    public static SystemConfig defaults() {
        return new SystemConfig(DEFAULT_LXCPATH, Optional.empty(), DEFAULT_LVM_VG, DEFAULT_LVM_THIN_POOL,
                DEFAULT_ZFS_ROOT, "", DEFAULT_CGROUP_PATTERN, Optional.empty());
    }
}
