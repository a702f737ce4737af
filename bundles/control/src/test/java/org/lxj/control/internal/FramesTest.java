package org.lxj.control.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lxj.launcher.Protocol;

/** The control socket's frames, built here as client.c encodes them. */
class FramesTest {

    private static byte[] tlv(int type, int flags, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.nativeOrder());
        b.putShort((short) type).putShort((short) flags).putInt(payload.length).put(payload);
        return b.array();
    }

    private static byte[] str(String s) {
        byte[] t = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[t.length + 1];
        System.arraycopy(t, 0, z, 0, t.length);
        return z;
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    private static Request decode(byte[]... attrs) throws ProtocolException {
        byte[] frame = tlv(Protocol.MSG_REQUEST, 0, concat(attrs));
        Frames.Frame f = Frames.frame(frame, frame.length);
        assertEquals(Protocol.MSG_REQUEST, f.type());
        return Frames.request(f.payload());
    }

    private static final byte[] VERSION = tlv(Protocol.REQ_VERSION, 0, u32(Protocol.PROTOCOL_VERSION));

    @Test
    void requestRoundTrip() throws Exception {
        Request r = decode(VERSION, tlv(Protocol.REQ_ARG, 0, str("lxc-info")), tlv(Protocol.REQ_ARG, 0, str("-n")),
                tlv(Protocol.REQ_ARG, 0, str("no such \"box\";* é")), tlv(Protocol.REQ_ARG, 0, str("")),
                tlv(Protocol.REQ_CWD, 0, str("/tmp/a b")), tlv(Protocol.REQ_TTY, 0, u32(Protocol.TTY_OUT)),
                tlv(Protocol.REQ_WIDTH, 0, u32(132)));
        assertEquals(List.of("lxc-info", "-n", "no such \"box\";* é", ""), r.args());
        assertEquals("lxc-info", r.command());
        assertEquals(List.of("-n", "no such \"box\";* é", ""), r.arguments());
        assertEquals(Optional.of("/tmp/a b"), r.cwd());
        assertTrue(r.stdoutIsTerminal());
        assertEquals(132, r.width());
    }

    @Test
    void optionalUnknownAttributesAreSkipped() throws Exception {
        Request r = decode(VERSION, tlv(Protocol.REQ_ARG, 0, str("lxc-ls")), tlv(99, Protocol.FLAG_OPTIONAL, u32(1)));
        assertEquals(List.of("lxc-ls"), r.args());
        assertEquals(Optional.empty(), r.cwd());
    }

    @Test
    void malformedRequestsAreRefusedWithAReason() {
        byte[] arg = tlv(Protocol.REQ_ARG, 0, str("lxc-ls"));
        assertTrue(assertThrows(ProtocolException.class, () -> decode(arg)).getMessage().contains("version"));
        assertTrue(assertThrows(ProtocolException.class,
                () -> decode(tlv(Protocol.REQ_VERSION, 0, u32(99)), arg)).getMessage().contains("different builds"));
        assertTrue(assertThrows(ProtocolException.class, () -> decode(VERSION)).getMessage().contains("no command"));
        assertTrue(assertThrows(ProtocolException.class,
                () -> decode(VERSION, tlv(Protocol.REQ_ARG, 0, "abc".getBytes(StandardCharsets.UTF_8))))
                .getMessage().contains("NUL-terminated"));
        assertTrue(assertThrows(ProtocolException.class,
                () -> decode(VERSION, tlv(Protocol.REQ_ARG, 0, new byte[] {'a', 0, 'b', 0})))
                .getMessage().contains("NUL byte"));
        assertTrue(assertThrows(ProtocolException.class,
                () -> decode(VERSION, tlv(Protocol.REQ_ARG, 0, new byte[] {(byte) 0xff, 0})))
                .getMessage().contains("UTF-8"));
        assertTrue(assertThrows(ProtocolException.class, () -> decode(VERSION, arg, tlv(99, 0, u32(1))))
                .getMessage().contains("Unknown request attribute 99"));
        assertTrue(assertThrows(ProtocolException.class,
                () -> decode(VERSION, arg, tlv(Protocol.REQ_WIDTH, 0, new byte[2]))).getMessage().contains("4 bytes"));
        byte[] frame = tlv(Protocol.MSG_REQUEST, 0, concat(VERSION, arg));
        assertThrows(ProtocolException.class, () -> Frames.frame(frame, frame.length - 1));
        byte[] two = concat(frame, frame);
        assertThrows(ProtocolException.class, () -> Frames.frame(two, two.length));
    }

    @Test
    void tooManyArgumentsAreRefused() {
        byte[][] attrs = new byte[Protocol.MAX_REQUEST_ARGS + 2][];
        attrs[0] = VERSION;
        for (int i = 1; i < attrs.length; i++) {
            attrs[i] = tlv(Protocol.REQ_ARG, 0, str("a"));
        }
        assertTrue(assertThrows(ProtocolException.class, () -> decode(attrs)).getMessage().contains("More than"));
    }

    @Test
    void statusAndErrorFrames() throws Exception {
        byte[] status = Frames.status(42);
        Frames.Frame f = Frames.frame(status, status.length);
        assertEquals(Protocol.MSG_STATUS, f.type());
        assertEquals(ByteBuffer.wrap(tlv(Protocol.REPLY_STATUS, 0, u32(42))), f.payload());

        byte[] error = Frames.error("Permission denied");
        Frames.Frame e = Frames.frame(error, error.length);
        assertEquals(Protocol.MSG_ERROR, e.type());
        assertEquals(ByteBuffer.wrap(tlv(Protocol.ERR_MESSAGE, 0, str("Permission denied"))), e.payload());
    }
}
