package org.lxj.security.seccomp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

class BpfInterpreterTest {

    static byte[] program(int[]... insns) {
        ByteBuffer b = ByteBuffer.allocate(insns.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] i : insns) {
            b.putShort((short) i[0]).put((byte) i[1]).put((byte) i[2]).putInt(i[3]);
        }
        return b.array();
    }

    @Test
    void handWrittenFilterDecidesByArchNumberAndArgument() {
        byte[] p = program(
                new int[] {0x20, 0, 0, 4}, // ld arch
                new int[] {0x15, 1, 0, 0xC000003E}, // jeq x86_64
                new int[] {0x06, 0, 0, 0x80000000}, // ret kill_process
                new int[] {0x20, 0, 0, 0}, // ld nr
                new int[] {0x15, 0, 4, 41}, // jeq socket, else allow
                new int[] {0x20, 0, 0, 20}, // ld args[0] hi
                new int[] {0x15, 0, 2, 0}, // jeq 0
                new int[] {0x20, 0, 0, 16}, // ld args[0] lo
                new int[] {0x15, 1, 0, 40}, // jeq AF_VSOCK
                new int[] {0x06, 0, 0, 0x7fff0000}, // ret allow
                new int[] {0x06, 0, 0, 0x00050001}); // ret errno 1
        BpfInterpreter bpf = new BpfInterpreter(p);
        assertEquals(11, bpf.instructions());
        assertEquals(Action.KILL_PROCESS, bpf.run(0x40000003, 41, 40));
        assertEquals(Action.errno(1), bpf.run(0xC000003E, 41, 40));
        assertEquals(Action.ALLOW, bpf.run(0xC000003E, 41, 2));
        assertEquals(Action.ALLOW, bpf.run(0xC000003E, 41, 40L | (1L << 32)));
        assertEquals(Action.ALLOW, bpf.run(0xC000003E, 39));
    }

    @Test
    void aluScratchAndIndexRegisterWork() {
        byte[] p = program(
                new int[] {0x20, 0, 0, 0}, // ld nr
                new int[] {0x54, 0, 0, 0xff}, // and #0xff
                new int[] {0x04, 0, 0, 1}, // add #1
                new int[] {0x02, 0, 0, 3}, // st M[3]
                new int[] {0x01, 0, 0, 2}, // ldx #2
                new int[] {0x60, 0, 0, 3}, // ld M[3]
                new int[] {0x2c, 0, 0, 0}, // mul x
                new int[] {0x74, 0, 0, 1}, // rsh #1
                new int[] {0x44, 0, 0, 0x00050000}, // or ERRNO base
                new int[] {0x16, 0, 0, 0}); // ret a
        assertEquals(Action.errno(0x13), new BpfInterpreter(p).run(0, 0x112));
    }

    @Test
    void invalidProgramsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BpfInterpreter(new byte[12]));
        byte[] offEnd = program(new int[] {0x20, 0, 0, 0});
        assertThrows(IllegalArgumentException.class, () -> new BpfInterpreter(offEnd).run(0, 0));
        byte[] farJump = program(new int[] {0x15, 5, 5, 0}, new int[] {0x06, 0, 0, 0});
        assertThrows(IllegalArgumentException.class, () -> new BpfInterpreter(farJump).run(0, 0));
        byte[] badLoad = program(new int[] {0x20, 0, 0, 64}, new int[] {0x06, 0, 0, 0});
        assertThrows(IllegalArgumentException.class, () -> new BpfInterpreter(badLoad).run(0, 0));
    }
}
