package org.lxj.linux.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.lxj.linux.PollEvents;
import org.lxj.linux.SocketFlags;
import org.lxj.linux.fake.RecordingSyscalls;

/** {@code poll(2)} against the real kernel on a socket pair (any user), and the fake's default. */
class PollSyscallTest {
    private final JnaSyscalls sys = new JnaSyscalls();

    @Test
    void reportsReadableAndHungUpFdsEachInItsSlot() {
        int[] a = sys.socketpair(SocketFlags.SOCK_STREAM | SocketFlags.SOCK_CLOEXEC);
        int[] b = sys.socketpair(SocketFlags.SOCK_STREAM | SocketFlags.SOCK_CLOEXEC);
        try {
            int[] watched = {a[0], b[0]};
            assertArrayEquals(new short[] {0, 0}, sys.poll(watched, PollEvents.POLLIN, 0), "nothing yet: timeout");
            byte[] data = "x".getBytes(StandardCharsets.US_ASCII);
            sys.write(b[1], data, 0, 1);
            short[] r = sys.poll(watched, PollEvents.POLLIN, -1);
            assertEquals(0, r[0]);
            assertEquals(PollEvents.POLLIN, r[1]);
            sys.shutdown(a[1], SocketFlags.SHUT_RDWR);
            r = sys.poll(watched, PollEvents.POLLIN, -1);
            assertNotEquals(0, r[0] & (PollEvents.POLLIN | PollEvents.POLLHUP), "a shut down peer wakes the poll");
        } finally {
            for (int fd : new int[] {a[0], a[1], b[0], b[1]}) {
                sys.close(fd);
            }
        }
    }

    @Test
    void theFakeReportsEveryFdReadable() {
        RecordingSyscalls fake = new RecordingSyscalls();
        assertArrayEquals(new short[] {PollEvents.POLLIN, PollEvents.POLLIN}, fake.poll(new int[] {3, 4},
                PollEvents.POLLIN, -1));
    }
}
