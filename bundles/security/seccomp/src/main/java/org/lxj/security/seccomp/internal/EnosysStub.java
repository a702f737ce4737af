package org.lxj.security.seccomp.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A prologue that returns {@code ENOSYS} for native syscall numbers above the highest the compiler's tables
 * know, so a policy that denies by default does not break glibc's fallbacks from syscalls newer than the tables
 * (as runc's {@code patchbpf} does). Prepending is safe: classic-BPF jumps are relative and forward only.
 */
final class EnosysStub {

    static final int ENOSYS = 38;
    private static final int X32_BIT = 0x40000000;

    private EnosysStub() {
    }

    /** {@code program} with the prologue for {@code nativeArch} whose highest known syscall is {@code maxNr}. */
    static byte[] prepend(byte[] program, String nativeArch, int maxNr) {
        boolean x86 = nativeArch.equals(Arches.X86_64);
        ByteBuffer b = ByteBuffer.allocate((x86 ? 6 : 5) * 8 + program.length).order(ByteOrder.LITTLE_ENDIAN);
        insn(b, 0x20, 0, 0, 4); // ld [4]: arch
        insn(b, 0x15, 0, x86 ? 4 : 3, Arches.token(nativeArch)); // jeq native, else the program
        insn(b, 0x20, 0, 0, 0); // ld [0]: nr
        if (x86) {
            insn(b, 0x35, 2, 0, X32_BIT); // jge x32 bit: the program's bad-arch check decides
        }
        insn(b, 0x25, 0, 1, maxNr); // jgt max
        insn(b, 0x06, 0, 0, Action.errno(ENOSYS).value()); // ret ERRNO(ENOSYS)
        b.put(program);
        return b.array();
    }

    private static void insn(ByteBuffer b, int code, int jt, int jf, int k) {
        b.putShort((short) code);
        b.put((byte) jt);
        b.put((byte) jf);
        b.putInt(k);
    }
}
