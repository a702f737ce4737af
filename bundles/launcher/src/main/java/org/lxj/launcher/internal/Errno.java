package org.lxj.launcher.internal;

/** Symbolic errno names for messages ("ENOENT"). */
final class Errno {
    private Errno() {
    }

    static String name(int errno) {
        String n = LibC.INSTANCE.strerrorname_np(errno);
        return n != null ? n : "errno " + errno;
    }
}
