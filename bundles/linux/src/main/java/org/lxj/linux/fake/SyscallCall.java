package org.lxj.linux.fake;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.lxj.linux.Syscall;

/**
 * One call recorded by {@link RecordingSyscalls}.
 *
 * @param syscall the call
 * @param args    its arguments in the order of the {@link org.lxj.linux.Syscalls} method; {@code null}s kept
 */
public record SyscallCall(Syscall syscall, List<Object> args) {
    public SyscallCall {
        Objects.requireNonNull(syscall, "syscall");
        args = Collections.unmodifiableList(Arrays.asList(args.toArray()));
    }

    /** Argument {@code i}. */
    public Object arg(int i) {
        return args.get(i);
    }

    /** {@code mount("proc", "/proc", "proc", 0x6, null)}, for assertion messages. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(syscall.cName()).append('(');
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            s.append(i == 0 ? "" : ", ").append(a instanceof String ? "\"" + a + "\"" : String.valueOf(a));
        }
        return s.append(')').toString();
    }
}
