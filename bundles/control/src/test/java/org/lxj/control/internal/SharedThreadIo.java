package org.lxj.control.internal;

import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;

/**
 * The one Gogo {@code ThreadIO} of a test JVM, as the runtime has one.
 *
 * <p>{@code ThreadIOImpl} replaces {@code System.out}, {@code err} and {@code in}, and every later
 * {@code setStreams} or {@code close} on it puts its streams back there. A test that started and stopped its own
 * instance could therefore be undone by a thread of its commands ending after its tear-down (a pipe of an
 * interrupted job), and the next test's {@code start()} then failed with "Thread Print Stream already set",
 * depending on the order the classes ran in. One instance, started once and never stopped, makes that harmless.
 */
final class SharedThreadIo {
    private static final ThreadIOImpl INSTANCE = start();

    private SharedThreadIo() {
    }

    private static ThreadIOImpl start() {
        ThreadIOImpl io = new ThreadIOImpl();
        io.start();
        return io;
    }

    /** The started instance, for a {@code CommandProcessorImpl}. */
    static ThreadIOImpl get() {
        return INSTANCE;
    }
}
