package org.lxj.cgroup.v2.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A small eBPF interpreter for testing device programs without the kernel: 64-bit registers, a read-only context
 * at r1, the ALU, jump and load instructions a device program may use, and the verifier's basic rules (no jump
 * backwards or outside the program, registers read only after a write, r0 set before exit).
 */
final class BpfInterpreter {
    private static final int CLASS_LDX = 0x01;
    private static final int CLASS_ALU = 0x04;
    private static final int CLASS_JMP = 0x05;
    private static final int CLASS_ALU64 = 0x07;

    private BpfInterpreter() {
    }

    /** Runs {@code program} on a {@code bpf_cgroup_dev_ctx}; returns r0 at exit. */
    static long run(byte[] program, int type, int access, int major, int minor) {
        ByteBuffer ctx = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
        ctx.putInt(0, (access << 16) | type).putInt(4, major).putInt(8, minor);
        ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        if (program.length == 0 || program.length % 8 != 0) {
            throw new IllegalStateException("Program length " + program.length + " is not a multiple of 8");
        }
        int count = program.length / 8;
        long[] r = new long[11];
        boolean[] set = new boolean[11];
        set[1] = true;
        set[10] = true;
        for (int pc = 0; pc < count; pc++) {
            int op = code.get(pc * 8) & 0xff;
            int regs = code.get(pc * 8 + 1) & 0xff;
            boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
            int dst = little ? regs & 0x0f : regs >> 4;
            int src = little ? regs >> 4 : regs & 0x0f;
            short off = code.getShort(pc * 8 + 2);
            int imm = code.getInt(pc * 8 + 4);
            int cls = op & 0x07;
            boolean useX = (op & 0x08) != 0;
            int sub = op & 0xf0;
            switch (cls) {
                case CLASS_LDX -> {
                    if (op != 0x61 || src != 1) {
                        throw new IllegalStateException("Unsupported load " + Integer.toHexString(op) + " at " + pc);
                    }
                    if (off < 0 || off + 4 > 12 || off % 4 != 0) {
                        throw new IllegalStateException("Context access at " + off + " out of bounds at " + pc);
                    }
                    r[dst] = ctx.getInt(off) & 0xffffffffL;
                    set[dst] = true;
                }
                case CLASS_ALU, CLASS_ALU64 -> {
                    if (useX && !set[src]) {
                        throw new IllegalStateException("r" + src + " read before written at " + pc);
                    }
                    if (sub != 0xb0 && !set[dst]) {
                        throw new IllegalStateException("r" + dst + " read before written at " + pc);
                    }
                    long operand = useX ? r[src] : imm;
                    long v = switch (sub) {
                        case 0x50 -> r[dst] & operand;
                        case 0x70 -> cls == CLASS_ALU ? (r[dst] & 0xffffffffL) >>> (operand & 31) : r[dst] >>> (operand & 63);
                        case 0xb0 -> operand;
                        default -> throw new IllegalStateException("Unsupported ALU op " + Integer.toHexString(op));
                    };
                    r[dst] = cls == CLASS_ALU ? v & 0xffffffffL : v;
                    set[dst] = true;
                }
                case CLASS_JMP -> {
                    if (op == 0x95) {
                        if (!set[0]) {
                            throw new IllegalStateException("r0 not set at exit " + pc);
                        }
                        return r[0];
                    }
                    if (sub != 0x50) {
                        throw new IllegalStateException("Unsupported jump " + Integer.toHexString(op) + " at " + pc);
                    }
                    if (!set[dst] || useX && !set[src]) {
                        throw new IllegalStateException("Jump on unset register at " + pc);
                    }
                    if (off < 0 || pc + 1 + off >= count) {
                        throw new IllegalStateException("Jump by " + off + " at " + pc + " leaves the program");
                    }
                    long other = useX ? r[src] : imm;
                    if (r[dst] != other) {
                        pc += off;
                    }
                }
                default -> throw new IllegalStateException("Unsupported class " + cls + " at " + pc);
            }
        }
        throw new IllegalStateException("Program falls off its end");
    }
}
