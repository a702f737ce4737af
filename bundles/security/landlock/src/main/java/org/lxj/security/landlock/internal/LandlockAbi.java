package org.lxj.security.landlock.internal;

import static org.lxj.spi.launch.LandlockRuleset.*;

/**
 * What each Landlock ABI version can restrict, as the kernel's {@code landlock_create_ruleset(NULL, 0,
 * LANDLOCK_CREATE_RULESET_VERSION)} numbers them: 1 the first thirteen filesystem rights, 2 {@code REFER},
 * 3 {@code TRUNCATE}, 4 TCP bind and connect, 5 {@code IOCTL_DEV}, 6 signal and abstract-socket scoping.
 */
final class LandlockAbi {

    /** Rights that apply to a file as well as a directory; the rest are directory-only. */
    static final long FILE_RIGHTS = ACCESS_FS_EXECUTE | ACCESS_FS_WRITE_FILE | ACCESS_FS_READ_FILE
            | ACCESS_FS_TRUNCATE | ACCESS_FS_IOCTL_DEV;
    static final long READ = ACCESS_FS_READ_FILE | ACCESS_FS_READ_DIR;
    static final long EXEC = READ | ACCESS_FS_EXECUTE;
    static final int NET_ABI = 4;
    static final int SCOPE_ABI = 6;

    private LandlockAbi() {
    }

    /** The filesystem rights ABI {@code abi} handles; 0 without Landlock. */
    static long fsRights(int abi) {
        if (abi < 1) {
            return 0;
        }
        long r = (ACCESS_FS_MAKE_SYM << 1) - 1;
        if (abi >= 2) {
            r |= ACCESS_FS_REFER;
        }
        if (abi >= 3) {
            r |= ACCESS_FS_TRUNCATE;
        }
        if (abi >= 5) {
            r |= ACCESS_FS_IOCTL_DEV;
        }
        return r;
    }

    /** The network rights ABI {@code abi} handles. */
    static long netRights(int abi) {
        return abi >= NET_ABI ? ACCESS_NET_BIND_TCP | ACCESS_NET_CONNECT_TCP : 0;
    }

    /** The scopes ABI {@code abi} handles. */
    static long scopes(int abi) {
        return abi >= SCOPE_ABI ? SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL : 0;
    }
}
