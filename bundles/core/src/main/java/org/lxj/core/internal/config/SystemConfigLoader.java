package org.lxj.core.internal.config;

import java.nio.file.Path;

import org.lxj.api.config.SystemConfig;

/** Reads conf/lxj.conf (LXC's lxc.system.conf keys). (Contract for core.) */
public final class SystemConfigLoader {

    /** Loads a system config file; a missing file yields the defaults. */
    public SystemConfig load(Path file) {
        throw new UnsupportedOperationException("pending");
    }
}
