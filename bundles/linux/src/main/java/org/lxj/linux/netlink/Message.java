package org.lxj.linux.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One received netlink message: its header fields and its payload (family header and attributes).
 *
 * @param type    {@code nlmsg_type}
 * @param flags   {@code nlmsg_flags}
 * @param seq     {@code nlmsg_seq}
 * @param payload what follows the 16-byte header
 */
public record Message(int type, int flags, int seq, byte[] payload) {

    /**
     * Splits a datagram into its messages.
     *
     * @throws IllegalArgumentException when a length field points past the data
     */
    public static List<Message> parse(byte[] data, int length) {
        ByteBuffer b = ByteBuffer.wrap(data, 0, length).order(ByteOrder.nativeOrder());
        List<Message> out = new ArrayList<>();
        int pos = 0;
        while (pos + Rt.NLMSG_HDRLEN <= length) {
            int len = b.getInt(pos);
            if (len < Rt.NLMSG_HDRLEN || pos + len > length) {
                throw new IllegalArgumentException("Malformed netlink message: length " + len + " at " + pos);
            }
            out.add(new Message(b.getShort(pos + 4) & 0xffff, b.getShort(pos + 6) & 0xffff, b.getInt(pos + 8),
                    Arrays.copyOfRange(data, pos + Rt.NLMSG_HDRLEN, pos + len)));
            pos += align(len);
        }
        return out;
    }

    /** For {@code NLMSG_ERROR}: the error number, positive (0 is an acknowledgement). */
    public int errno() {
        return -ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()).getInt(0);
    }

    /** The attributes after a family header of {@code headerLength} bytes, by type (the last one wins). */
    public Map<Integer, byte[]> attributes(int headerLength) {
        return attributes(payload, headerLength, payload.length);
    }

    /** Attributes in {@code data[from..to)}, by type with the nested flag bits cleared. */
    public static Map<Integer, byte[]> attributes(byte[] data, int from, int to) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        int pos = from;
        while (pos + 4 <= to) {
            int len = b.getShort(pos) & 0xffff;
            int type = b.getShort(pos + 2) & 0x3fff;
            if (len < 4 || pos + len > to) {
                break;
            }
            out.put(type, Arrays.copyOfRange(data, pos + 4, pos + len));
            pos += align(len);
        }
        return out;
    }

    /** A NUL-terminated string attribute value. */
    public static Optional<String> string(Map<Integer, byte[]> attrs, int type) {
        byte[] v = attrs.get(type);
        if (v == null) {
            return Optional.empty();
        }
        int n = 0;
        while (n < v.length && v[n] != 0) {
            n++;
        }
        return Optional.of(new String(v, 0, n, StandardCharsets.UTF_8));
    }

    /** A 32-bit attribute value, or {@code dflt}. */
    public static int u32(Map<Integer, byte[]> attrs, int type, int dflt) {
        byte[] v = attrs.get(type);
        return v == null || v.length < 4 ? dflt : ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt();
    }

    static int align(int len) {
        return (len + 3) & ~3;
    }
}
