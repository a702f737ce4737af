package org.lxj.core.internal.lock;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The container directories whose {@code partial} marker this JVM holds or is probing.
 * <p>
 * {@link java.nio.channels.FileChannel#lock} takes POSIX record locks, which the kernel drops when the process
 * closes <em>any</em> descriptor of the file. A second channel opened on a held marker inside the same JVM would
 * therefore release the holder's lock when closed. Every use of a marker enters here first, so within one
 * process a marker is opened by one owner at a time; between processes the file lock decides. One registry per
 * process is assumed: the runtime component is a single DS component, and two runtimes working on one lxcpath
 * inside one JVM would each need to share it.
 */
public final class ClaimRegistry {
    private final Set<Path> held = ConcurrentHashMap.newKeySet();

    boolean enter(Path dir) {
        return held.add(dir);
    }

    void leave(Path dir) {
        held.remove(dir);
    }

    /** Whether this JVM holds (or is probing) the marker of {@code dir}. */
    public boolean isHeld(Path dir) {
        return held.contains(dir);
    }
}
