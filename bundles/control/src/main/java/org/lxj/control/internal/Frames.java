package org.lxj.control.internal;

import static org.lxj.launcher.Protocol.ERR_MESSAGE;
import static org.lxj.launcher.Protocol.FLAG_OPTIONAL;
import static org.lxj.launcher.Protocol.MAX_REQUEST_ARGS;
import static org.lxj.launcher.Protocol.MSG_ERROR;
import static org.lxj.launcher.Protocol.MSG_STATUS;
import static org.lxj.launcher.Protocol.PROTOCOL_VERSION;
import static org.lxj.launcher.Protocol.REPLY_STATUS;
import static org.lxj.launcher.Protocol.REQ_ARG;
import static org.lxj.launcher.Protocol.REQ_CWD;
import static org.lxj.launcher.Protocol.REQ_TTY;
import static org.lxj.launcher.Protocol.REQ_VERSION;
import static org.lxj.launcher.Protocol.REQ_WIDTH;
import static org.lxj.launcher.Protocol.TLV_HEADER_SIZE;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The frames of the control socket ({@code protocol.h}, docs/launcher-protocol.md): one TLV frame per
 * SOCK_SEQPACKET message, {@code u16 type, u16 flags, u32 len, payload}, in host byte order, whose payload
 * is again a sequence of TLV attributes.
 */
final class Frames {
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** One frame: its type and payload. */
    record Frame(int type, ByteBuffer payload) {
    }

    private Frames() {
    }

    /** Reads the one frame {@code message[0..length)} holds. */
    static Frame frame(byte[] message, int length) throws ProtocolException {
        ByteBuffer b = ByteBuffer.wrap(message, 0, length).order(ORDER);
        Attribute f = next(b);
        if (f == null || b.hasRemaining()) {
            throw new ProtocolException("The message is not one frame");
        }
        return new Frame(f.type, f.payload);
    }

    private record Attribute(int type, int flags, ByteBuffer payload) {
    }

    /** The TLV at the buffer's position, or null at its clean end. */
    private static Attribute next(ByteBuffer b) throws ProtocolException {
        if (!b.hasRemaining()) {
            return null;
        }
        if (b.remaining() < TLV_HEADER_SIZE) {
            throw new ProtocolException("A truncated attribute header");
        }
        int type = Short.toUnsignedInt(b.getShort());
        int flags = Short.toUnsignedInt(b.getShort());
        long len = Integer.toUnsignedLong(b.getInt());
        if (len > b.remaining()) {
            throw new ProtocolException("Attribute " + type + " is longer than the message");
        }
        ByteBuffer payload = b.slice(b.position(), (int) len).order(ORDER);
        b.position(b.position() + (int) len);
        return new Attribute(type, flags, payload);
    }

    /** Decodes and checks a REQUEST payload. */
    static Request request(ByteBuffer payload) throws ProtocolException {
        ByteBuffer b = payload.duplicate().order(ORDER);
        Integer version = null;
        List<String> args = new ArrayList<>();
        String cwd = null;
        int tty = 0;
        int width = 0;
        for (Attribute a = next(b); a != null; a = next(b)) {
            switch (a.type) {
                case REQ_VERSION -> version = u32(a, "version");
                case REQ_ARG -> {
                    if (args.size() == MAX_REQUEST_ARGS) {
                        throw new ProtocolException("More than " + MAX_REQUEST_ARGS + " arguments");
                    }
                    args.add(string(a, "argument"));
                }
                case REQ_CWD -> cwd = string(a, "current directory");
                case REQ_TTY -> tty = u32(a, "terminal mask");
                case REQ_WIDTH -> width = u32(a, "terminal width");
                default -> {
                    if ((a.flags & FLAG_OPTIONAL) == 0) {
                        throw new ProtocolException("Unknown request attribute " + a.type);
                    }
                }
            }
        }
        if (version == null || version != PROTOCOL_VERSION) {
            throw new ProtocolException("Protocol version " + version + " is not " + PROTOCOL_VERSION
                    + ": the client and the runtime are from different builds");
        }
        if (args.isEmpty()) {
            throw new ProtocolException("The request names no command");
        }
        return new Request(args, Optional.ofNullable(cwd), tty, width);
    }

    private static int u32(Attribute a, String what) throws ProtocolException {
        if (a.payload.remaining() != 4) {
            throw new ProtocolException("The " + what + " is not 4 bytes long");
        }
        int v = a.payload.getInt(0);
        if (v < 0) {
            throw new ProtocolException("The " + what + " " + Integer.toUnsignedString(v) + " is out of range");
        }
        return v;
    }

    private static String string(Attribute a, String what) throws ProtocolException {
        ByteBuffer p = a.payload;
        int n = p.remaining();
        if (n == 0 || p.get(n - 1) != 0) {
            throw new ProtocolException("An " + what + " is not NUL-terminated");
        }
        for (int i = 0; i < n - 1; i++) {
            if (p.get(i) == 0) {
                throw new ProtocolException("An " + what + " holds a NUL byte");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(p.slice(0, n - 1)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("An " + what + " is not UTF-8");
        }
    }

    /** A STATUS frame with the command's exit status. */
    static byte[] status(int status) {
        ByteBuffer v = ByteBuffer.allocate(4).order(ORDER).putInt(0, status);
        return frame(MSG_STATUS, attribute(REPLY_STATUS, v.array()));
    }

    /** An ERROR frame with a message for the client to print. */
    static byte[] error(String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[text.length + 1];
        System.arraycopy(text, 0, z, 0, text.length);
        return frame(MSG_ERROR, attribute(ERR_MESSAGE, z));
    }

    static byte[] attribute(int type, byte[] payload) {
        return frame(type, payload);
    }

    static byte[] frame(int type, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        ByteBuffer b = ByteBuffer.allocate(TLV_HEADER_SIZE + body.size()).order(ORDER);
        b.putShort((short) type).putShort((short) 0).putInt(body.size()).put(body.toByteArray());
        return b.array();
    }
}
