package org.lxj.control.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.lxj.linux.Errno;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;

/**
 * Streams over fds a client handed over, read and written with plain {@code read(2)}/{@code write(2)}, so
 * they share the client's open file descriptions (offsets, append mode) and work for any kind of fd:
 * terminals, pipes, files, sockets. Unbuffered: every write reaches the fd at once. Closing a stream does
 * not close its fd; the connection does that when the command is over.
 */
final class FdStreams {
    private FdStreams() {
    }

    static InputStream in(Syscalls sys, int fd) {
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
