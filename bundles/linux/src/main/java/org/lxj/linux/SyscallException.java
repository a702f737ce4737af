package org.lxj.linux;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.lxj.api.LxjException;

/**
 * A syscall failed. Carries the call, its arguments and the errno read right after the call. The
 * message reads {@code Failed to mount "proc" on "/proc": EPERM (Operation not permitted)}.
 */
public class SyscallException extends LxjException {
    private static final long serialVersionUID = 1L;

    private final Syscall call;
    private final int errnoNumber;
    private final transient List<Object> args;

    public SyscallException(Syscall call, int errnoNumber, Object... args) {
        super("Failed to " + call.describe(args) + ": " + Errno.describe(errnoNumber));
        this.call = call;
        this.errnoNumber = errnoNumber;
        this.args = Arrays.asList(args.clone());
    }

    public SyscallException(Syscall call, Errno errno, Object... args) {
        this(call, errno.number(), args);
    }

    /** The call that failed. */
    public Syscall call() {
        return call;
    }

    /** The call's arguments as passed (paths, fds, flags); {@code null} entries stay. */
    public List<Object> arguments() {
        return args == null ? List.of() : Collections.unmodifiableList(args);
    }

    /** The path or number acted on, as text: the target of mount and symlink, the path of the *at calls. */
    public String argument() {
        List<Object> a = arguments();
        boolean subjectSecond = call == Syscall.MOUNT || call == Syscall.MKDIRAT || call == Syscall.OPENAT
                || call == Syscall.UNLINKAT || call == Syscall.SYMLINK;
        if (subjectSecond && a.size() > 1) {
            return String.valueOf(a.get(1));
        }
        return a.isEmpty() ? "" : String.valueOf(a.get(0));
    }

    /** The errno, empty for a number {@link Errno} does not know (see {@link #errnoNumber()}). */
    public Optional<Errno> errno() {
        return Errno.of(errnoNumber);
    }

    /** The raw errno number. */
    public int errnoNumber() {
        return errnoNumber;
    }

    /** Whether the errno is {@code e}. */
    public boolean is(Errno e) {
        return errnoNumber == e.number();
    }
}
