package org.lxj.launcher;

import java.nio.charset.StandardCharsets;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Makes a process idle in a system call (the monitor in {@code poll}) run one system call of the test's choice
 * with its own credentials and Landlock domain, through ptrace, then resumes it as it was (x86_64 only). Every
 * call must come from the thread that made the injector: a tracer is a thread.
 */
final class SyscallInjector implements AutoCloseable {
    interface PtraceLibC extends Library {
        PtraceLibC INSTANCE = Native.load("c", PtraceLibC.class);

        long ptrace(long request, int pid, long addr, long data) throws LastErrorException;

        int waitpid(int pid, int[] status, int options) throws LastErrorException;
    }

    static final long SYS_OPENAT = 257;
    static final long SYS_CLOSE = 3;
    static final long AT_FDCWD = -100;
    static final long O_WRONLY_CREAT_CLOEXEC = 01 | 0100 | 02000000;

    private static final long PTRACE_PEEKTEXT = 1;
    private static final long PTRACE_POKEDATA = 5;
    private static final long PTRACE_SINGLESTEP = 9;
    private static final long PTRACE_GETREGS = 12;
    private static final long PTRACE_SETREGS = 13;
    private static final long PTRACE_DETACH = 17;
    private static final long PTRACE_SEIZE = 0x4206;
    private static final long PTRACE_INTERRUPT = 0x4207;
    private static final int WALL = 0x40000000;
    private static final int REGS = 27;
    private static final int R10 = 7;
    private static final int RAX = 10;
    private static final int RDX = 12;
    private static final int RSI = 13;
    private static final int RDI = 14;
    private static final int ORIG_RAX = 15;
    private static final int RIP = 16;
    private static final int RSP = 19;

    private final PtraceLibC c = PtraceLibC.INSTANCE;
    private final int pid;
    private final Memory saved = new Memory(REGS * 8L);
    private boolean attached;

    /** Whether this machine's system call convention is the one this injector speaks. */
    static boolean supported() {
        return System.getProperty("os.arch").equals("amd64");
    }

    private SyscallInjector(int pid) {
        this.pid = pid;
        c.ptrace(PTRACE_SEIZE, pid, 0, 0);
        attached = true;
        c.ptrace(PTRACE_INTERRUPT, pid, 0, 0);
        awaitStop();
        c.ptrace(PTRACE_GETREGS, pid, 0, Pointer.nativeValue(saved));
    }

    /** Whether the instruction before the stop is {@code syscall}: where the next call is made. */
    private boolean atSyscall() {
        long rip = saved.getLong(RIP * 8L);
        return (c.ptrace(PTRACE_PEEKTEXT, pid, rip - 2, 0) & 0xFFFF) == 0x050F;
    }

    /**
     * Attaches to {@code pid} once it is stopped right after a {@code syscall} instruction (idle in a blocking
     * call); a stop elsewhere in user code lets it go on and tries again, at most {@code attempts} times.
     */
    static SyscallInjector attach(int pid, int attempts) {
        for (int i = 0; i < attempts; i++) {
            SyscallInjector in = new SyscallInjector(pid);
            if (in.atSyscall()) {
                return in;
            }
            in.close();
            Thread.yield();
        }
        throw new IllegalStateException("Process " + pid + " was never stopped in a system call");
    }

    private void awaitStop() {
        int[] status = new int[1];
        c.waitpid(pid, status, WALL);
        if ((status[0] & 0xFF) != 0x7F) {
            throw new IllegalStateException("Process " + pid + " did not stop: wait status 0x"
                    + Integer.toHexString(status[0]));
        }
    }

    /** Copies a NUL-terminated string below the stack pointer (beyond the red zone) and returns its address. */
    long string(String s) {
        byte[] b = (s + "\0").getBytes(StandardCharsets.UTF_8);
        long at = (saved.getLong(RSP * 8L) - 4096) & ~15L;
        for (int off = 0; off < b.length; off += 8) {
            long word = 0;
            for (int i = 0; i < 8 && off + i < b.length; i++) {
                word |= (b[off + i] & 0xFFL) << (8 * i);
            }
            c.ptrace(PTRACE_POKEDATA, pid, at + off, word);
        }
        return at;
    }

    /** Runs one system call in the process and returns its raw result ({@code -errno} on failure). */
    long call(long nr, long a0, long a1, long a2, long a3) {
        Memory regs = new Memory(REGS * 8L);
        regs.write(0, saved.getByteArray(0, REGS * 8), 0, REGS * 8);
        regs.setLong(RAX * 8L, nr);
        regs.setLong(ORIG_RAX * 8L, -1);   // no restart of the interrupted call on the way out
        regs.setLong(RDI * 8L, a0);
        regs.setLong(RSI * 8L, a1);
        regs.setLong(RDX * 8L, a2);
        regs.setLong(R10 * 8L, a3);
        regs.setLong(RIP * 8L, saved.getLong(RIP * 8L) - 2);
        c.ptrace(PTRACE_SETREGS, pid, 0, Pointer.nativeValue(regs));
        c.ptrace(PTRACE_SINGLESTEP, pid, 0, 0);
        awaitStop();
        c.ptrace(PTRACE_GETREGS, pid, 0, Pointer.nativeValue(regs));
        return regs.getLong(RAX * 8L);
    }

    /** Restores the registers (the interrupted call restarts) and lets the process go. */
    @Override
    public void close() {
        if (attached) {
            attached = false;
            c.ptrace(PTRACE_SETREGS, pid, 0, Pointer.nativeValue(saved));
            c.ptrace(PTRACE_DETACH, pid, 0, 0);
        }
    }
}
