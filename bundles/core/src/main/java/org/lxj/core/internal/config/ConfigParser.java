package org.lxj.core.internal.config;

import java.nio.file.Path;

import org.lxj.api.config.ContainerConfig;

/** Parses LXC container configuration files. (Contract for core; body filled by the config work.) */
public final class ConfigParser {

    /** Parses {@code file} with its includes; throws ConfigException with file:line on the first error. */
    public ContainerConfig parse(Path file) {
        throw new UnsupportedOperationException("pending");
    }

    /** Parses text as if read from {@code origin} (used in error messages and for relative includes). */
    public ContainerConfig parse(String text, Path origin) {
        throw new UnsupportedOperationException("pending");
    }
}
