package org.lxj.launcher.internal;

/**
 * A launcher spawned ahead of a start ({@code lxj-launcher spare}): re-executed from the sealed image, detached
 * as a monitor-to-be, non-dumpable, waiting on its control socket for a plan and the container's stdio. It holds
 * nothing of any container. Closing the socket retires it (it reads EOF and exits).
 *
 * @param ctl    the JVM's end of its control socket
 * @param image  what it was spawned from (the sealed image object, or the binary's path): a spare of another
 *               image is never handed out
 * @param socket its end of the socket as {@code /proc/<pid>/fd/3} shows it ({@code socket:[inode]})
 */
record SpareLauncher(ControlSocket ctl, Object image, String socket) implements AutoCloseable {
    /** Whether it was spawned from this image and still waits: alive, silent, its socket open. */
    boolean usableFor(Object current) {
        return image == current && ctl.idle();
    }

    @Override
    public void close() {
        ctl.close();
    }
}
