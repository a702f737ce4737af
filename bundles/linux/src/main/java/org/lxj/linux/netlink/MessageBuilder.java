package org.lxj.linux.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Builds one netlink request: the {@code nlmsghdr}, a family header ({@code ifinfomsg}, {@code ifaddrmsg},
 * {@code rtmsg}) and attributes, each padded to 4 bytes, nested ones through {@link #begin}/{@link #end}.
 * Native byte order, as the kernel expects.
 */
public final class MessageBuilder {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final Deque<Integer> open = new ArrayDeque<>();

    /** A message of {@code type} ({@code RTM_NEWLINK}) with {@code flags} ({@code NLM_F_REQUEST} ...). */
    public MessageBuilder(int type, int flags, int seq) {
        buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
    }

    /** Appends an {@code ifinfomsg}. */
    public MessageBuilder ifinfo(int family, int index, int flags, int change) {
        ensure(Rt.IFINFOMSG_LEN);
        buf.put((byte) family).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
        return this;
    }

    /** Appends an {@code ifaddrmsg}. */
    public MessageBuilder ifaddr(int family, int prefixLength, int flags, int scope, int index) {
        ensure(Rt.IFADDRMSG_LEN);
        buf.put((byte) family).put((byte) prefixLength).put((byte) flags).put((byte) scope).putInt(index);
        return this;
    }

    /** Appends an {@code rtmsg}. */
    public MessageBuilder rtmsg(int family, int dstLength, int table, int protocol, int scope, int type) {
        ensure(Rt.RTMSG_LEN);
        buf.put((byte) family).put((byte) dstLength).put((byte) 0).put((byte) 0).put((byte) table)
                .put((byte) protocol).put((byte) scope).put((byte) type).putInt(0);
        return this;
    }

    /** Appends an {@code ndmsg}. */
    public MessageBuilder ndmsg(int family, int index, int state, int flags, int type) {
        ensure(Rt.NDMSG_LEN);
        buf.put((byte) family).put((byte) 0).putShort((short) 0).putInt(index).putShort((short) state)
                .put((byte) flags).put((byte) type);
        return this;
    }

    /** An attribute with raw bytes. */
    public MessageBuilder attr(int type, byte[] value) {
        ensure(4 + value.length + 3);
        buf.putShort((short) (4 + value.length)).putShort((short) type).put(value);
        pad();
        return this;
    }

    /** A NUL-terminated string attribute ({@code IFLA_IFNAME}). */
    public MessageBuilder string(int type, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        return attr(type, Arrays.copyOf(b, b.length + 1));
    }

    public MessageBuilder u32(int type, int value) {
        return attr(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    public MessageBuilder u16(int type, int value) {
        return attr(type, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) value).array());
    }

    /** Opens a nested attribute; close it with {@link #end}. */
    public MessageBuilder begin(int type) {
        ensure(4);
        open.push(buf.position());
        buf.putShort((short) 0).putShort((short) type);
        return this;
    }

    public MessageBuilder end() {
        int start = open.pop();
        buf.putShort(start, (short) (buf.position() - start));
        return this;
    }

    /** The finished message with its length set. */
    public byte[] build() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("Unclosed nested attribute");
        }
        buf.putInt(0, buf.position());
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private void pad() {
        while ((buf.position() & 3) != 0) {
            buf.put((byte) 0);
        }
    }

    private void ensure(int more) {
        if (buf.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more))
                    .order(ByteOrder.nativeOrder());
            bigger.put(buf.array(), 0, buf.position());
            buf = bigger;
        }
    }
}
