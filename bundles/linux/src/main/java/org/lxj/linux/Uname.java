package org.lxj.linux;

import java.util.Objects;

/**
 * What {@code uname(2)} reports.
 *
 * @param sysname  {@code Linux}
 * @param nodename the host name
 * @param release  {@code uname -r}
 * @param version  {@code uname -v}
 * @param machine  {@code uname -m} ({@code x86_64}, {@code aarch64})
 */
public record Uname(String sysname, String nodename, String release, String version, String machine) {
    public Uname {
        Objects.requireNonNull(sysname, "sysname");
        Objects.requireNonNull(nodename, "nodename");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(machine, "machine");
    }
}
