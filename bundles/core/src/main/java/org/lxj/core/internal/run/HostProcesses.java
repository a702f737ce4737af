package org.lxj.core.internal.run;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Facts about host processes read from {@code /proc}: start times (to tell a pid from its successor) and masks. */
public class HostProcesses {
    private final Path proc;

    public HostProcesses() {
        this(Path.of("/proc"));
    }

    /** @param proc the procfs to read (a fake tree in tests) */
    public HostProcesses(Path proc) {
        this.proc = proc;
    }

    /** Field 22 of {@code /proc/PID/stat}, or empty when the process does not exist. */
    public OptionalLong startTime(int pid) {
        if (pid <= 0) {
            return OptionalLong.empty();
        }
        try {
            String stat = Files.readString(proc.resolve(Integer.toString(pid)).resolve("stat"));
            int close = stat.lastIndexOf(')');
            String[] f = stat.substring(close + 2).trim().split(" ");
            if (close < 0 || f.length < 20) {
                return OptionalLong.empty();
            }
            // f[0] is field 3, so field 22 is f[19]; a zombie still has its start time but is gone for us
            if (f[0].equals("Z") || f[0].equals("X")) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(f[19]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Whether the process that started at {@code startTime} has been reaped: {@code /proc/PID} is gone or now
     * belongs to another process. Unlike {@link #isAlive}, a zombie still counts as there: it stays in its
     * cgroups until its parent reaps it.
     */
    public boolean reaped(int pid, long startTime) {
        try {
            String stat = Files.readString(proc.resolve(Integer.toString(pid)).resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return f.length < 20 || Long.parseLong(f[19]) != startTime;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** Whether {@code pid} is the process that started at {@code startTime}. */
    /** Whether process {@code pid} is gone or a zombie (its exit is done; only its reaping may be left). */
    static boolean exited(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int close = stat.lastIndexOf(')');
            char state = close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : 'X';
            return state == 'Z' || state == 'X';
        } catch (IOException e) {
            return true;
        }
    }

    public boolean isAlive(int pid, long startTime) {
        OptionalLong t = startTime(pid);
        return t.isPresent() && t.getAsLong() == startTime;
    }

    /** Whether {@code pid} blocks {@code signal} ({@code SigBlk} of {@code /proc/PID/status}). */
    public boolean blocks(int pid, int signal) {
        try {
            for (String line : Files.readAllLines(proc.resolve(Integer.toString(pid)).resolve("status"))) {
                if (line.startsWith("SigBlk:")) {
                    BigInteger mask = new BigInteger(line.substring("SigBlk:".length()).trim(), 16);
                    return mask.testBit(signal - 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
