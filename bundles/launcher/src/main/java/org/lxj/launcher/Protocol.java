package org.lxj.launcher;

/**
 * The Java mirror of {@code src/main/c/protocol.h}: message types, plan attributes, steps and exit codes.
 * A unit test parses the header and fails on any difference, so edit both together.
 */
public final class Protocol {
    public static final int PROTOCOL_VERSION = 1;
    public static final int TLV_HEADER_SIZE = 8;
    public static final int MAX_MESSAGE = 131072;

    // TLV flags: an unknown attribute is refused unless it is marked optional.
    public static final int FLAG_OPTIONAL = 1;

    // Message types (frames on the control socket).
    public static final int MSG_PLAN = 1;
    public static final int MSG_CREATED = 2;
    public static final int MSG_START = 3;
    public static final int MSG_STARTED = 4;
    public static final int MSG_ERROR = 5;
    public static final int MSG_MAPS_DONE = 6;
    public static final int MSG_READY = 7;
    public static final int MSG_ATTACH = 8;
    public static final int MSG_ATTACHED = 9;
    public static final int MSG_EXITED = 10;
    public static final int MSG_SIGNAL = 11;
    // Client mode: REQUEST (REQ_* attributes, fds 0-2 attached) answered by STATUS or ERROR; SHUTDOWN.
    public static final int MSG_REQUEST = 12;
    public static final int MSG_STATUS = 13;
    public static final int MSG_SHUTDOWN = 14;
    public static final int MSG_WINCH = 15;
    public static final int MSG_RESIZE = 16;
    /** monitor to Java right after the clone, the pids of CREATED; CREATED or ERROR follows. */
    public static final int MSG_CLONED = 17;
    /** init to monitor: the seccomp notification listener (SCM_RIGHTS), before READY. */
    public static final int MSG_SECCOMP_LISTENER = 30;

    // Plan attributes. Strings are NUL-terminated inside their payload.
    public static final int ATTR_VERSION = 1;
    public static final int ATTR_CONTAINER_ID = 2;
    public static final int ATTR_RUN_DIR = 3;
    public static final int ATTR_CLONE_FLAGS = 4;
    public static final int ATTR_UID_MAP = 5;
    public static final int ATTR_GID_MAP = 6;
    public static final int ATTR_SETGROUPS_DENY = 7;
    public static final int ATTR_CGROUP_PATH = 8;
    public static final int ATTR_ROOTFS = 9;
    public static final int ATTR_ROOTFS_PROPAGATION = 10;
    public static final int ATTR_MOUNT = 11;
    public static final int ATTR_NO_PIVOT = 12;
    public static final int ATTR_MASKED_PATH = 13;
    public static final int ATTR_READONLY_PATH = 14;
    public static final int ATTR_HOSTNAME = 15;
    public static final int ATTR_DOMAINNAME = 16;
    public static final int ATTR_RLIMIT = 17;
    public static final int ATTR_CAPS = 18;
    public static final int ATTR_NO_NEW_PRIVS = 19;
    public static final int ATTR_UID = 20;
    public static final int ATTR_GID = 21;
    public static final int ATTR_CWD = 22;
    public static final int ATTR_ARG = 23;
    public static final int ATTR_ENV = 24;
    public static final int ATTR_BUILTIN_INIT = 25;
    public static final int ATTR_DEVICE = 26;
    public static final int ATTR_SYMLINK = 27;
    public static final int ATTR_PROC_WRITE = 28;
    public static final int ATTR_JOIN = 29;
    public static final int ATTR_ROOTFS_READONLY = 30;
    public static final int ATTR_GROUP = 31;
    public static final int ATTR_UMASK = 32;
    public static final int ATTR_SECUREBITS = 33;
    public static final int ATTR_PERSONALITY = 34;
    public static final int ATTR_SESSION_KEYRING = 35;
    public static final int ATTR_SECCOMP = 36;
    public static final int ATTR_SECCOMP_FLAGS = 37;
    public static final int ATTR_CGROUP_PROCS = 38;
    public static final int ATTR_ATTACH_PID = 39;
    public static final int ATTR_ATTACH_START_TIME = 40;
    public static final int ATTR_ATTACH_NAMESPACES = 41;
    public static final int ATTR_ATTACH_CGROUP = 42;
    public static final int ATTR_REMOUNT_SYS = 43;
    public static final int ATTR_HOOK = 44;
    // Clock offsets of a new time namespace: s64 seconds, s64 nanoseconds (0..999999999).
    public static final int ATTR_TIME_MONOTONIC = 45;
    public static final int ATTR_TIME_BOOTTIME = 46;
    // u32: the signal init gets when its monitor dies; 0 none; absent: SIGKILL.
    public static final int ATTR_PDEATH_SIGNAL = 47;
    public static final int ATTR_LSM_LABEL = 48;
    public static final int ATTR_LANDLOCK = 49;
    public static final int ATTR_CONSOLE = 50;
    public static final int ATTR_ATTACH_PTY = 51;
    public static final int ATTR_SECCOMP_NOTIFY_PROXY = 60;
    public static final int ATTR_SECCOMP_NOTIFY_COOKIE = 61;
    // Attach mode: <run>/monitor.sock, where a notifying filter's listener goes ("seccomp-listener\n" + SCM_RIGHTS).
    public static final int ATTR_ATTACH_MONITOR_SOCK = 62;

    // Attributes nested in LXJ_ATTR_LSM_LABEL.
    public static final int LSM_NAME = 1;
    public static final int LSM_ATTR = 2;
    public static final int LSM_VALUE = 3;
    public static final int LSM_OPTIONAL = 4;

    // Attributes nested in LXJ_ATTR_LANDLOCK: PATH_RULE = u64 rights + path, PORT_RULE = u64 port + u64 rights.
    public static final int LANDLOCK_HANDLED_FS = 1;
    public static final int LANDLOCK_HANDLED_NET = 2;
    public static final int LANDLOCK_SCOPED = 3;
    public static final int LANDLOCK_PATH_RULE = 4;
    public static final int LANDLOCK_PORT_RULE = 5;
    public static final int LANDLOCK_BEST_EFFORT = 6;

    // Attributes nested in LXJ_ATTR_CONSOLE, the console modes, and the frames a console viewer sends.
    public static final int CONSOLE_MODE = 1;
    public static final int CONSOLE_TTYS = 2;
    public static final int CONSOLE_TTY_DIR = 3;
    public static final int CONSOLE_LOG_FILE = 4;
    public static final int CONSOLE_LOG_SIZE = 5;
    public static final int CONSOLE_LOG_ROTATE = 6;
    public static final int CONSOLE_BUFFER_SIZE = 7;
    public static final int CONSOLE_ROWS = 8;
    public static final int CONSOLE_COLS = 9;
    public static final int CONSOLE_UID = 10;
    public static final int CONSOLE_GID = 11;
    public static final int CONSOLE_MODE_PTY = 1;
    public static final int CONSOLE_MODE_NONE = 2;
    public static final int CONSOLE_FRAME_INPUT = 1;
    public static final int CONSOLE_FRAME_RESIZE = 2;

    // Attributes nested in LXJ_ATTR_ATTACH_PTY.
    public static final int APTY_FDS = 1;
    public static final int APTY_LOG = 2;
    public static final int APTY_ROWS = 3;
    public static final int APTY_COLS = 4;

    // Attributes nested in LXJ_ATTR_MOUNT.
    public static final int MOUNT_SOURCE = 1;
    public static final int MOUNT_TARGET = 2;
    public static final int MOUNT_FSTYPE = 3;
    public static final int MOUNT_FLAGS = 4;
    public static final int MOUNT_DATA = 5;
    public static final int MOUNT_CREATE = 6;
    public static final int MOUNT_OPTIONAL = 7;
    public static final int MOUNT_DEVICE = 8;
    public static final int MOUNT_PROPAGATION = 9;
    public static final int MOUNT_RELATIVE = 10;
    public static final int DEV_PATH = 1;
    public static final int DEV_TYPE = 2;
    public static final int DEV_MAJOR = 3;
    public static final int DEV_MINOR = 4;
    public static final int DEV_MODE = 5;
    public static final int DEV_UID = 6;
    public static final int DEV_GID = 7;
    public static final int DEV_BIND = 8;
    public static final int LINK_PATH = 1;
    public static final int LINK_TARGET = 2;
    public static final int PROC_FILE = 1;
    public static final int PROC_VALUE = 2;
    public static final int JOIN_NS = 1;
    public static final int JOIN_PATH = 2;
    public static final int JOIN_PID = 3;

    // LXJ_MOUNT_CREATE values: what to create at a missing target.
    public static final int CREATE_NONE = 0;
    public static final int CREATE_DIR = 1;
    public static final int CREATE_FILE = 2;

    // Attributes nested in LXJ_ATTR_RLIMIT.
    public static final int RLIMIT_RESOURCE = 1;
    public static final int RLIMIT_SOFT = 2;
    public static final int RLIMIT_HARD = 3;

    // Attributes nested in LXJ_ATTR_HOOK; NS_ENV: stop hooks get LXC_<NS>_NS variables instead of arguments.
    public static final int HOOK_STAGE = 1;
    public static final int HOOK_ARG = 2;
    public static final int HOOK_ENV = 3;
    public static final int HOOK_NS_ENV = 4;

    // LXJ_HOOK_STAGE values, in the order they run.
    public static final int HOOK_PRE_MOUNT = 1;
    public static final int HOOK_MOUNT = 2;
    public static final int HOOK_AUTODEV = 3;
    public static final int HOOK_START = 4;
    public static final int HOOK_STOP = 5;

    // Attributes of an ERROR payload and of CREATED/STARTED payloads.
    public static final int ERR_STEP = 1;
    public static final int ERR_ERRNO = 2;
    public static final int ERR_MESSAGE = 3;
    public static final int REPLY_MONITOR_PID = 4;
    public static final int REPLY_INIT_PID = 5;
    public static final int REPLY_STATUS = 6;
    public static final int REPLY_DUMPABLE = 7;

    // Attributes of a REQUEST payload; TTY is a mask of TTY_*.
    public static final int REQ_VERSION = 1;
    public static final int REQ_ARG = 2;
    public static final int REQ_CWD = 3;
    public static final int REQ_TTY = 4;
    public static final int REQ_WIDTH = 5;
    public static final int TTY_IN = 1;
    public static final int TTY_OUT = 2;
    public static final int TTY_ERR = 4;
    public static final int MAX_REQUEST_ARGS = 4096;
    public static final int REQUEST_FDS = 3;

    // Steps, in the order the launcher carries them out (reported in ERROR).
    public static final int STEP_PLAN = 1;
    public static final int STEP_REEXEC = 2;
    public static final int STEP_MONITOR = 3;
    public static final int STEP_CGROUP = 4;
    public static final int STEP_CLONE = 5;
    public static final int STEP_DUMPABLE = 6;
    public static final int STEP_USERNS_MAPS = 7;
    public static final int STEP_SETID_ROOT = 8;
    public static final int STEP_PROPAGATION = 9;
    public static final int STEP_ROOTFS = 10;
    public static final int STEP_MOUNT = 11;
    public static final int STEP_PIVOT = 12;
    public static final int STEP_MASK = 13;
    public static final int STEP_READONLY = 14;
    public static final int STEP_HOSTNAME = 15;
    public static final int STEP_RLIMIT = 16;
    public static final int STEP_CAPS = 17;
    public static final int STEP_USER = 18;
    public static final int STEP_NO_NEW_PRIVS = 19;
    public static final int STEP_WAIT_START = 20;
    public static final int STEP_CLOSE_FDS = 21;
    public static final int STEP_CWD = 22;
    public static final int STEP_EXEC = 23;
    public static final int STEP_INIT = 24;
    public static final int STEP_MONITOR_SOCKET = 25;
    public static final int STEP_DEVICE = 26;
    public static final int STEP_SYMLINK = 27;
    public static final int STEP_PROC_WRITE = 28;
    public static final int STEP_JOIN = 29;
    public static final int STEP_SECCOMP = 30;
    public static final int STEP_KEYRING = 31;
    public static final int STEP_PERSONALITY = 32;
    public static final int STEP_ATTACH = 33;
    public static final int STEP_UNSUPPORTED = 34;
    public static final int STEP_HOOK = 35;
    public static final int STEP_TIME = 36;
    public static final int STEP_LSM = 37;
    public static final int STEP_LANDLOCK = 38;
    public static final int STEP_CONSOLE = 39;
    public static final int STEP_PTY = 40;

    // Exit codes of the launcher/monitor process itself.
    public static final int EXIT_OK = 0;
    public static final int EXIT_USAGE = 64;
    public static final int EXIT_PLAN = 65;
    public static final int EXIT_SETUP = 66;
    public static final int EXIT_REEXEC = 67;
    public static final int EXIT_INTERNAL = 70;
    // The client's exit code when no runtime listens on the control socket (EX_TEMPFAIL).
    public static final int EXIT_NO_DAEMON = 75;

    // Exit codes of the container's command when it could not be started (shell convention).
    public static final int EXIT_NOT_EXECUTABLE = 126;
    public static final int EXIT_NOT_FOUND = 127;

    // The built-in init exits with 128 + signal when its command was killed by a signal.
    public static final int EXIT_SIGNAL_BASE = 128;

    private Protocol() {
    }

    /**
     * The name of a launcher step as it appears in messages, e.g. {@code "mount"}.
     *
     * @param step a {@code STEP_*} constant
     * @return its lower-case name, or {@code "step-N"} for an unknown id
     */
    public static String stepName(int step) {
        return switch (step) {
            case STEP_PLAN -> "plan";
            case STEP_REEXEC -> "reexec";
            case STEP_MONITOR -> "monitor";
            case STEP_CGROUP -> "cgroup";
            case STEP_CLONE -> "clone";
            case STEP_DUMPABLE -> "dumpable";
            case STEP_USERNS_MAPS -> "userns-maps";
            case STEP_SETID_ROOT -> "setid-root";
            case STEP_PROPAGATION -> "propagation";
            case STEP_ROOTFS -> "rootfs";
            case STEP_MOUNT -> "mount";
            case STEP_PIVOT -> "pivot";
            case STEP_MASK -> "mask";
            case STEP_READONLY -> "readonly";
            case STEP_HOSTNAME -> "hostname";
            case STEP_RLIMIT -> "rlimit";
            case STEP_CAPS -> "caps";
            case STEP_USER -> "user";
            case STEP_NO_NEW_PRIVS -> "no-new-privs";
            case STEP_WAIT_START -> "wait-start";
            case STEP_CLOSE_FDS -> "close-fds";
            case STEP_CWD -> "cwd";
            case STEP_EXEC -> "exec";
            case STEP_INIT -> "init";
            case STEP_MONITOR_SOCKET -> "monitor-socket";
            case STEP_DEVICE -> "device";
            case STEP_SYMLINK -> "symlink";
            case STEP_PROC_WRITE -> "proc-write";
            case STEP_JOIN -> "join";
            case STEP_SECCOMP -> "seccomp";
            case STEP_KEYRING -> "keyring";
            case STEP_PERSONALITY -> "personality";
            case STEP_ATTACH -> "attach";
            case STEP_UNSUPPORTED -> "unsupported";
            case STEP_HOOK -> "hook";
            case STEP_TIME -> "time";
            case STEP_LSM -> "lsm";
            case STEP_LANDLOCK -> "landlock";
            case STEP_CONSOLE -> "console";
            case STEP_PTY -> "pty";
            default -> "step-" + step;
        };
    }
}
