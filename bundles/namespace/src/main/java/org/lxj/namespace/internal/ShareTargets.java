package org.lxj.namespace.internal;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.lxj.spi.backend.BackendException;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.NamespaceJoin;
import org.lxj.spi.namespace.ShareResolver;

/**
 * Turns an {@code lxc.namespace.share.<ns>} value into a join: a pid is joined directly (the launcher opens a
 * pidfd, so a recycled pid fails); a namespace file ({@code /proc/42/ns/net}, {@code /run/netns/blue}) is
 * joined by path; a container, by name or by its directory ({@code /opt/c3}), goes through core's
 * {@link ShareResolver}, which knows the running containers.
 */
final class ShareTargets {

    static final String PREFIX = "lxc.namespace.share.";

    private ShareTargets() {
    }

    static NamespaceJoin resolve(ConfigValues config, Namespace ns, String value, ShareResolver resolver) {
        String key = PREFIX + ns.procName();
        String v = value.trim();
        if (v.isEmpty() || v.chars().anyMatch(Character::isWhitespace)) {
            throw config.invalid(key, value, "Invalid " + key + " \"" + value
                    + "\": expected a pid, a container name or an absolute path");
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return NamespaceJoin.byPid(ns, pid(config, key, v));
        }
        if (v.startsWith("/")) {
            Path path;
            try {
                path = Path.of(v).normalize();
            } catch (InvalidPathException e) {
                throw config.invalid(key, value, "Invalid " + key + " \"" + v + "\": " + e.getReason());
            }
            if (Files.isDirectory(path)) {
                return checked(ns, v, resolver.resolve(ns, path.toString()));
            }
            if (!Files.exists(path)) {
                throw config.invalid(key, value, "Invalid " + key + " \"" + v
                        + "\": no such namespace file or container directory");
            }
            return NamespaceJoin.byPath(ns, path);
        }
        if (v.contains("/")) {
            throw config.invalid(key, value, "Invalid " + key + " \"" + v
                    + "\": expected a pid, a container name or an absolute path");
        }
        return checked(ns, v, resolver.resolve(ns, v));
    }

    private static int pid(ConfigValues config, String key, String v) {
        long pid = v.length() > 10 ? Long.MAX_VALUE : Long.parseLong(v);
        if (pid < 1 || pid > Integer.MAX_VALUE) {
            throw config.invalid(key, v, "Invalid " + key + " \"" + v + "\": expected a pid from 1 to "
                    + Integer.MAX_VALUE);
        }
        return (int) pid;
    }

    private static NamespaceJoin checked(Namespace ns, String value, NamespaceJoin join) {
        if (join == null || join.namespace() != ns) {
            throw new BackendException("Failed to resolve \"" + value + "\" for " + PREFIX + ns.procName()
                    + ": the share resolver answered " + (join == null ? "nothing" : "a " + join.namespace().procName()
                    + " namespace"));
        }
        return join;
    }
}
