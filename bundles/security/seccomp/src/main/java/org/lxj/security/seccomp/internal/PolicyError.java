package org.lxj.security.seccomp.internal;

import java.nio.file.Path;
import java.util.Optional;

import org.lxj.api.ConfigException;

/** Builds {@link ConfigException}s located in a seccomp policy file, keyed {@code lxc.seccomp.profile}. */
final class PolicyError {

    static final String KEY = "lxc.seccomp.profile";

    private PolicyError() {
    }

    static ConfigException at(Optional<Path> source, int line, String value, String reason) {
        return new ConfigException(source.orElse(null), line, KEY, value, reason);
    }
}
