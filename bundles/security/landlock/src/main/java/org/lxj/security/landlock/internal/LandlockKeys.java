package org.lxj.security.landlock.internal;

import java.util.List;

/** The {@code lxj.landlock.*} keys, LXC-style: lists are blank-separated and accumulate over lines. */
final class LandlockKeys {
    static final String PREFIX = "lxj.landlock.";
    /** Paths beneath which files may be read and directories listed. */
    static final String FS_RO = "lxj.landlock.fs.ro";
    /** Paths beneath which files may also be executed. */
    static final String FS_EXEC = "lxj.landlock.fs.exec";
    /** Paths beneath which every filesystem right the host's ABI knows is allowed. */
    static final String FS_RW = "lxj.landlock.fs.rw";
    /** TCP ports that may be bound; {@code none} for no port. Setting it restricts binding. */
    static final String NET_BIND = "lxj.landlock.net.bind";
    /** TCP ports that may be connected to; {@code none} for no port. Setting it restricts connecting. */
    static final String NET_CONNECT = "lxj.landlock.net.connect";
    /** {@code signal} and/or {@code abstract_unix_socket}: IPC limited to the container's own domain. */
    static final String SCOPE = "lxj.landlock.scope";
    /** 1 (default): drop what the host's ABI cannot enforce, with a warning; 0: fail the start instead. */
    static final String BEST_EFFORT = "lxj.landlock.best_effort";

    static final List<String> ALL = List.of(FS_RO, FS_EXEC, FS_RW, NET_BIND, NET_CONNECT, SCOPE, BEST_EFFORT);
    static final List<String> RULES = List.of(FS_RO, FS_EXEC, FS_RW, NET_BIND, NET_CONNECT, SCOPE);

    private LandlockKeys() {
    }
}
