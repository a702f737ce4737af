package org.lxj.linux;

import java.util.List;

/**
 * What one {@code recvmsg(2)} returned.
 *
 * @param length    the number of bytes received (0 at the end of the stream); for a datagram or seqpacket
 *                  socket with {@code truncated}, the length of the whole message, larger than the buffer
 * @param fds       the file descriptors that came with it ({@code SCM_RIGHTS}), now owned by the caller
 * @param truncated whether the message ({@code MSG_TRUNC}) or its descriptors ({@code MSG_CTRUNC}) did not fit
 * @since 1.1
 */
public record ReceivedMessage(int length, List<Integer> fds, boolean truncated) {

    public ReceivedMessage {
        fds = List.copyOf(fds);
    }
}
