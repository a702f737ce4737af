package org.lxj.linux;

import java.util.Locale;

/**
 * The calls of {@link Syscalls}, each with the phrase its failure message uses. The phrase is a
 * {@link String#format} pattern over the call's arguments in declaration order, so the JNA
 * implementation and the recording fake word their errors identically.
 */
public enum Syscall {
    GETUID("get the user id"),
    GETEUID("get the effective user id"),
    GETPID("get the process id"),
    UNAME("read the kernel identification"),
    MKDIR("create directory \"%s\""),
    MKDIRAT("create directory \"%2$s\" below fd %1$d"),
    OPEN("open \"%s\""),
    OPENAT("open \"%2$s\" below fd %1$d"),
    CLOSE("close fd %d"),
    FSTAT("stat fd %d"),
    LSTAT("stat \"%s\""),
    STAT("stat \"%s\""),
    MOUNT("mount \"%s\" on \"%s\""),
    UMOUNT2("unmount \"%s\""),
    STATFS("statfs \"%s\""),
    KILL("send signal %2$d to pid %1$d"),
    FLOCK("lock fd %d"),
    UNSHARE("unshare namespaces 0x%x"),
    SETNS("join namespace fd %d"),
    PRCTL("prctl option %d"),
    READLINK("read link \"%s\""),
    UNLINKAT("remove \"%2$s\""),
    RMDIR("remove directory \"%s\""),
    CHOWN("change owner of \"%s\" to %d:%d"),
    LCHOWN("change owner of \"%s\" to %d:%d"),
    CHMOD("change mode of \"%s\" to %04o"),
    SYMLINK("create symlink \"%2$s\" to \"%1$s\""),
    MKNOD("create device node \"%s\""),
    SETHOSTNAME("set hostname to \"%s\""),
    LANDLOCK_CREATE_RULESET("query the Landlock ABI version"),
    LSM_LIST_MODULES("list the active LSMs"),
    SOCKET("create a socket"),
    SOCKETPAIR("create a socket pair"),
    BIND("bind fd %d to \"%s\""),
    CONNECT("connect fd %d to \"%s\""),
    LISTEN("listen on fd %d"),
    ACCEPT4("accept a connection on fd %d"),
    GETSOCKOPT("read the peer credentials of fd %d"),
    SENDMSG("send a message on fd %d"),
    RECVMSG("receive a message on fd %d"),
    SHUTDOWN("shut down fd %d"),
    READ("read fd %d"),
    POLL("poll %d fds"),
    WRITE("write fd %d"),
    IOCTL("ioctl 0x%2$x on fd %1$d"),
    FTRUNCATE("truncate fd %d to %d bytes"),
    UTIMENSAT("set the times of \"%s\""),
    LLISTXATTR("list the extended attributes of \"%s\""),
    LGETXATTR("read extended attribute \"%2$s\" of \"%1$s\""),
    LSETXATTR("set extended attribute \"%2$s\" of \"%1$s\""),
    LINK("create hard link \"%2$s\" to \"%1$s\""),
    LSEEK("seek fd %d to %d (whence %d)"),
    COPY_FILE_RANGE("copy %5$d bytes from fd %1$d to fd %3$d"),
    BPF_PROG_LOAD("load a BPF program of type %d with %d instructions%s"),
    BPF_PROG_ATTACH("attach BPF program fd %d to fd %d"),
    BPF_PROG_DETACH("detach BPF program fd %d from fd %d");

    private final String phrase;

    Syscall(String phrase) {
        this.phrase = phrase;
    }

    /** The C name of the call ({@code umount2}, {@code landlock_create_ruleset}). */
    public String cName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * What the call was doing, for a message after "Failed to": {@code mount "proc" on "/proc"}.
     * A {@code null} string argument reads as {@code none}, as mount(8) shows a missing source.
     */
    public String describe(Object... args) {
        Object[] shown = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            shown[i] = args[i] == null ? "none" : args[i];
        }
        return String.format(Locale.ROOT, phrase, shown);
    }
}
