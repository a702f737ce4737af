package org.lxj.security.seccomp.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs a classic-BPF seccomp program on one {@code struct seccomp_data} as the kernel would, to check what a
 * compiled filter returns for a call. Programs the kernel would reject (a jump out of range, a division by zero
 * constant, no return) fail with {@link IllegalArgumentException}.
 */
final class BpfInterpreter {

    private static final int DATA_SIZE = 64;
    private static final int MEM_WORDS = 16;

    private final int[] code;
    private final int[] k;
    private final int[] jt;
    private final int[] jf;

    /** @param program {@code struct sock_filter} entries in little-endian order, 8 bytes each */
    BpfInterpreter(byte[] program) {
        if (program.length == 0 || program.length % 8 != 0) {
            throw new IllegalArgumentException("Invalid BPF program of " + program.length + " bytes");
        }
        int n = program.length / 8;
        code = new int[n];
        k = new int[n];
        jt = new int[n];
        jf = new int[n];
        ByteBuffer b = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            code[i] = b.getShort() & 0xffff;
            jt[i] = b.get() & 0xff;
            jf[i] = b.get() & 0xff;
            k[i] = b.getInt();
        }
    }

    int instructions() {
        return code.length;
    }

    /** The action for syscall {@code nr} on audit architecture {@code arch} with {@code args} (missing ones 0). */
    Action run(int arch, int nr, long... args) {
        ByteBuffer d = ByteBuffer.allocate(DATA_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        d.putInt(0, nr);
        d.putInt(4, arch);
        d.putLong(8, 0);
        for (int i = 0; i < args.length && i < 6; i++) {
            d.putLong(16 + 8 * i, args[i]);
        }
        return Action.of(execute(d));
    }

    private int execute(ByteBuffer data) {
        int a = 0;
        int x = 0;
        int[] mem = new int[MEM_WORDS];
        int pc = 0;
        while (pc < code.length) {
            int c = code[pc];
            int kk = k[pc];
            int next = pc + 1;
            switch (c & 0x07) {
                case 0x00 -> a = load(c, kk, x, data, mem); // BPF_LD
                case 0x01 -> x = loadX(c, kk, mem); // BPF_LDX
                case 0x02 -> mem[index(kk)] = a; // BPF_ST
                case 0x03 -> mem[index(kk)] = x; // BPF_STX
                case 0x04 -> a = alu(c, a, (c & 0x08) != 0 ? x : kk); // BPF_ALU
                case 0x05 -> next = jump(c, pc, a, (c & 0x08) != 0 ? x : kk); // BPF_JMP
                case 0x06 -> { // BPF_RET
                    return (c & 0x18) == 0x10 ? a : kk;
                }
                default -> { // BPF_MISC
                    if ((c & 0xf8) == 0x00) {
                        x = a; // TAX
                    } else {
                        a = x; // TXA
                    }
                }
            }
            pc = next;
        }
        throw new IllegalArgumentException("BPF program ran off its end");
    }

    private static int load(int c, int kk, int x, ByteBuffer data, int[] mem) {
        int mode = c & 0xe0;
        int size = c & 0x18;
        return switch (mode) {
            case 0x00 -> kk; // BPF_IMM
            case 0x20, 0x40 -> { // BPF_ABS, BPF_IND
                int off = mode == 0x20 ? kk : x + kk;
                if (size != 0x00 || off < 0 || off > DATA_SIZE - 4 || off % 4 != 0) {
                    throw new IllegalArgumentException("Invalid seccomp data load at offset " + off);
                }
                yield data.getInt(off);
            }
            case 0x60 -> mem[index(kk)]; // BPF_MEM
            case 0x80 -> DATA_SIZE; // BPF_LEN
            default -> throw new IllegalArgumentException("Invalid BPF load 0x" + Integer.toHexString(c));
        };
    }

    private static int loadX(int c, int kk, int[] mem) {
        return switch (c & 0xe0) {
            case 0x00 -> kk;
            case 0x60 -> mem[index(kk)];
            case 0x80 -> DATA_SIZE;
            default -> throw new IllegalArgumentException("Invalid BPF load 0x" + Integer.toHexString(c));
        };
    }

    private static int alu(int c, int a, int v) {
        return switch (c & 0xf0) {
            case 0x00 -> a + v;
            case 0x10 -> a - v;
            case 0x20 -> a * v;
            case 0x30 -> {
                if (v == 0) {
                    throw new IllegalArgumentException("BPF division by zero");
                }
                yield Integer.divideUnsigned(a, v);
            }
            case 0x40 -> a | v;
            case 0x50 -> a & v;
            case 0x60 -> v >= 32 ? 0 : a << v;
            case 0x70 -> v >= 32 ? 0 : a >>> v;
            case 0x80 -> -a;
            case 0x90 -> {
                if (v == 0) {
                    throw new IllegalArgumentException("BPF modulo by zero");
                }
                yield Integer.remainderUnsigned(a, v);
            }
            case 0xa0 -> a ^ v;
            default -> throw new IllegalArgumentException("Invalid BPF ALU 0x" + Integer.toHexString(c));
        };
    }

    private int jump(int c, int pc, int a, int v) {
        int target;
        switch (c & 0xf0) {
            case 0x00 -> target = pc + 1 + k[pc]; // BPF_JA
            case 0x10 -> target = pc + 1 + (a == v ? jt[pc] : jf[pc]);
            case 0x20 -> target = pc + 1 + (Integer.compareUnsigned(a, v) > 0 ? jt[pc] : jf[pc]);
            case 0x30 -> target = pc + 1 + (Integer.compareUnsigned(a, v) >= 0 ? jt[pc] : jf[pc]);
            case 0x40 -> target = pc + 1 + ((a & v) != 0 ? jt[pc] : jf[pc]);
            default -> throw new IllegalArgumentException("Invalid BPF jump 0x" + Integer.toHexString(c));
        }
        if (target <= pc || target >= code.length) {
            throw new IllegalArgumentException("BPF jump from " + pc + " to " + target + " is out of range");
        }
        return target;
    }

    private static int index(int kk) {
        if (kk < 0 || kk >= MEM_WORDS) {
            throw new IllegalArgumentException("Invalid BPF scratch slot " + kk);
        }
        return kk;
    }
}
