package org.lxj.control.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.lxj.linux.Errno;
import org.lxj.linux.PollEvents;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;

/**
 * Streams over fds a client handed over, read and written with plain {@code read(2)}/{@code write(2)}, so
 * they share the client's open file descriptions (offsets, append mode) and work for any kind of fd:
 * terminals, pipes, files, sockets. Unbuffered: every write reaches the fd at once. Closing a stream does
 * not close its fd; the connection does that when the command is over. A read waits in {@code poll(2)} on
 * the fd and a wake fd together, so that a reader blocked on a terminal nobody types into ends (with the end
 * of file) once the request is over or its client is gone: a blocking {@code read(2)} would hold a daemon
 * thread until the next keystroke, which a thread interrupt does not shorten.
 */
final class FdStreams {
    private FdStreams() {
    }

    /**
     * @param wakeFd reads end (at the end of file) once this fd is readable or hung up: the connection shuts
     *               the other end of a socket pair down when the request is over
     */
    static InputStream in(Syscalls sys, int fd, int wakeFd) {
        int[] both = {fd, wakeFd};
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!awaitReadable()) {
                    return -1;
                }
                while (true) {
                    try {
                        int n = sys.read(fd, b, off, len);
                        return n == 0 ? -1 : n;
                    } catch (SyscallException e) {
                        if (!e.is(Errno.EINTR)) {
                            throw new IOException(e.getMessage(), e);
                        }
                    }
                }
            }

            /** False once the wake fd fired: the request is over and nothing more is read. */
            private boolean awaitReadable() throws IOException {
                while (true) {
                    short[] r;
                    try {
                        r = sys.poll(both, PollEvents.POLLIN, -1);
                    } catch (SyscallException e) {
                        if (e.is(Errno.EINTR)) {
                            continue;
                        }
                        throw new IOException(e.getMessage(), e);
                    }
                    if (r[1] != 0) {
                        return false;
                    }
                    if (r[0] != 0) {
                        return true;                    // data, end of file or an error the read reports
                    }
                }
            }
        };
    }

    /** Writes to {@code fd} until {@code discard} says the client is gone (then output has no reader). */
    static OutputStream out(Syscalls sys, int fd, java.util.function.BooleanSupplier discard) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                int done = 0;
                while (done < len && !discard.getAsBoolean()) {
                    try {
                        done += sys.write(fd, b, off + done, len - done);
                    } catch (SyscallException e) {
                        if (!e.is(Errno.EINTR)) {
                            throw new IOException(e.getMessage(), e);
                        }
                    }
                }
            }
        };
    }
}
