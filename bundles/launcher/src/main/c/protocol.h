/*
 * protocol.h - the single source of the launcher protocol.
 *
 * Every constant is a plain "#define LXJ_<NAME> <integer>" line: the Java mirror
 * (org.lxj.launcher.Protocol) is checked against this file by a test that parses it.
 *
 * Framing: every SOCK_SEQPACKET message on fd 3 is exactly one frame
 *   u16 type, u16 flags, u32 len, payload[len]      (host byte order, no padding)
 * The PLAN and ERROR payloads are sequences of attributes in the same TLV shape.
 * Nested attributes (a MOUNT, an RLIMIT) carry a TLV sequence as their payload.
 */
#ifndef LXJ_PROTOCOL_H
#define LXJ_PROTOCOL_H

#define LXJ_PROTOCOL_VERSION 1
#define LXJ_TLV_HEADER_SIZE 8
#define LXJ_MAX_MESSAGE 131072

/* TLV flags: an unknown attribute is refused unless it is marked optional. */
#define LXJ_FLAG_OPTIONAL 1

/* Message types (frames on the control socket). */
#define LXJ_MSG_PLAN 1
#define LXJ_MSG_CREATED 2
#define LXJ_MSG_START 3
#define LXJ_MSG_STARTED 4
#define LXJ_MSG_ERROR 5
#define LXJ_MSG_MAPS_DONE 6
#define LXJ_MSG_READY 7
/* Attach mode: the payload of ATTACH is a plan (attach attributes, UID, GID, GROUP, CWD, ARG, ENV, CAPS). */
#define LXJ_MSG_ATTACH 8
#define LXJ_MSG_ATTACHED 9
#define LXJ_MSG_EXITED 10
#define LXJ_MSG_SIGNAL 11

/*
 * Client mode (lxj-launcher client, docs/launcher-protocol.md): frames on the runtime's control socket.
 * REQUEST carries the command line (REQ_* attributes) and the client's fds 0, 1 and 2 (SCM_RIGHTS);
 * the runtime answers STATUS (REPLY_STATUS) or ERROR (ERR_MESSAGE). SHUTDOWN stops the runtime.
 */
#define LXJ_MSG_REQUEST 12
#define LXJ_MSG_STATUS 13
#define LXJ_MSG_SHUTDOWN 14
/* Client -> runtime while a command runs, empty, no fds: the client's terminal window changed (SIGWINCH). */
#define LXJ_MSG_WINCH 15
/*
 * Java -> attach launcher with a pty: the caller's window changed. Empty: the launcher re-reads TIOCGWINSZ of the
 * caller's terminal; 8 bytes (u32 rows, u32 columns): that size. Either is set on the pty master.
 */
#define LXJ_MSG_RESIZE 16
/*
 * monitor -> Java right after the clone, the same pids as CREATED: Java records the container while init carries
 * out its steps. CREATED (or ERROR) follows.
 */
#define LXJ_MSG_CLONED 17
/*
 * init -> monitor on the sync socket, empty, with the seccomp listener fd (SCM_RIGHTS): sent right after the
 * filter is loaded with SECCOMP_FILTER_FLAG_NEW_LISTENER, before READY.
 */
#define LXJ_MSG_SECCOMP_LISTENER 30

/* Plan attributes. Strings are NUL-terminated inside their payload. */
#define LXJ_ATTR_VERSION 1
#define LXJ_ATTR_CONTAINER_ID 2
#define LXJ_ATTR_RUN_DIR 3
#define LXJ_ATTR_CLONE_FLAGS 4
#define LXJ_ATTR_UID_MAP 5
#define LXJ_ATTR_GID_MAP 6
#define LXJ_ATTR_SETGROUPS_DENY 7
#define LXJ_ATTR_CGROUP_PATH 8
#define LXJ_ATTR_ROOTFS 9
#define LXJ_ATTR_ROOTFS_PROPAGATION 10
#define LXJ_ATTR_MOUNT 11
#define LXJ_ATTR_NO_PIVOT 12
#define LXJ_ATTR_MASKED_PATH 13
#define LXJ_ATTR_READONLY_PATH 14
#define LXJ_ATTR_HOSTNAME 15
#define LXJ_ATTR_DOMAINNAME 16
#define LXJ_ATTR_RLIMIT 17
#define LXJ_ATTR_CAPS 18
#define LXJ_ATTR_NO_NEW_PRIVS 19
#define LXJ_ATTR_UID 20
#define LXJ_ATTR_GID 21
#define LXJ_ATTR_CWD 22
#define LXJ_ATTR_ARG 23
#define LXJ_ATTR_ENV 24
#define LXJ_ATTR_BUILTIN_INIT 25
#define LXJ_ATTR_DEVICE 26
#define LXJ_ATTR_SYMLINK 27
#define LXJ_ATTR_PROC_WRITE 28
#define LXJ_ATTR_JOIN 29
#define LXJ_ATTR_ROOTFS_READONLY 30
#define LXJ_ATTR_GROUP 31
#define LXJ_ATTR_UMASK 32
#define LXJ_ATTR_SECUREBITS 33
#define LXJ_ATTR_PERSONALITY 34
#define LXJ_ATTR_SESSION_KEYRING 35
#define LXJ_ATTR_SECCOMP 36
#define LXJ_ATTR_SECCOMP_FLAGS 37
#define LXJ_ATTR_CGROUP_PROCS 38
#define LXJ_ATTR_ATTACH_PID 39
#define LXJ_ATTR_ATTACH_START_TIME 40
#define LXJ_ATTR_ATTACH_NAMESPACES 41
#define LXJ_ATTR_ATTACH_CGROUP 42
#define LXJ_ATTR_REMOUNT_SYS 43
/* An lxc.hook.* program the container setup (pre-mount, mount, autodev, start) or the monitor (stop) runs. */
#define LXJ_ATTR_HOOK 44
/*
 * Clock offsets of a new time namespace (CLONE_NEWTIME in CLONE_FLAGS): 16 bytes each, s64 seconds and
 * s64 nanoseconds (0..999999999). The monitor unshares the time namespace, writes timens_offsets, and
 * clones init into it.
 */
#define LXJ_ATTR_TIME_MONOTONIC 45
#define LXJ_ATTR_TIME_BOOTTIME 46
/* u32: the signal init gets when its monitor dies (lxc.monitor.signal.pdeath); 0 none; absent: SIGKILL. */
#define LXJ_ATTR_PDEATH_SIGNAL 47
/* An LSM attribute write just before exec (nested LSM_*), repeated, in order. */
#define LXJ_ATTR_LSM_LABEL 48
/* The Landlock ruleset to enforce after no_new_privs (nested LANDLOCK_*), once. */
#define LXJ_ATTR_LANDLOCK 49
/* The console and ttys the monitor holds (nested CONSOLE_*), once; absent: init keeps the launcher's stdio. */
#define LXJ_ATTR_CONSOLE 50
/* Attach mode: run the command on a new pty of the container's devpts (nested APTY_*), once. */
#define LXJ_ATTR_ATTACH_PTY 51
/*
 * The seccomp notification proxy (lxc.seccomp.notify.proxy without "unix:"; a leading '@' is an abstract
 * name) and its cookie (lxc.seccomp.notify.cookie). A filter loaded with SECCOMP_FILTER_FLAG_NEW_LISTENER
 * needs the proxy: init passes the listener to the monitor (MSG_SECCOMP_LISTENER), which forwards each
 * notification to the proxy with LXC's seccomp_notify_proxy_msg.
 */
#define LXJ_ATTR_SECCOMP_NOTIFY_PROXY 60
#define LXJ_ATTR_SECCOMP_NOTIFY_COOKIE 61
/*
 * Attach mode: the container's <run>/monitor.sock (an absolute path of at most 107 bytes). Required when the
 * attach plan's seccomp flags hold SECCOMP_FILTER_FLAG_NEW_LISTENER: the launcher connects to it before joining
 * any namespace, and the attached command, once its filter is loaded, sends "seccomp-listener\n" with the
 * listener (SCM_RIGHTS) in one sendmsg and reads one line, "OK\n" or "ERR <message>\n".
 */
#define LXJ_ATTR_ATTACH_MONITOR_SOCK 62

/*
 * Attributes nested in LXJ_ATTR_LSM_LABEL: NAME ("apparmor", [a-z0-9_]+), ATTR ("exec", [a-z]+), VALUE (the
 * bytes written), OPTIONAL (u32 bool: a write the LSM rejects is skipped). The file is
 * /proc/thread-self/attr/<NAME>/<ATTR>, falling back to /proc/thread-self/attr/<ATTR>.
 */
#define LXJ_LSM_NAME 1
#define LXJ_LSM_ATTR 2
#define LXJ_LSM_VALUE 3
#define LXJ_LSM_OPTIONAL 4

/*
 * Attributes nested in LXJ_ATTR_LANDLOCK: HANDLED_FS, HANDLED_NET, SCOPED (u64 each), PATH_RULE (repeated:
 * u64 allowed rights, then the NUL-terminated absolute path inside the container), PORT_RULE (repeated:
 * u64 port, u64 allowed rights), BEST_EFFORT (u32 bool: a kernel without Landlock is not an error).
 */
#define LXJ_LANDLOCK_HANDLED_FS 1
#define LXJ_LANDLOCK_HANDLED_NET 2
#define LXJ_LANDLOCK_SCOPED 3
#define LXJ_LANDLOCK_PATH_RULE 4
#define LXJ_LANDLOCK_PORT_RULE 5
#define LXJ_LANDLOCK_BEST_EFFORT 6

/*
 * Attributes nested in LXJ_ATTR_CONSOLE: MODE (u32 CONSOLE_MODE_*, required), TTYS (u32 0..1024), TTY_DIR (a
 * single name under /dev), LOG_FILE (absolute host path), LOG_SIZE (u64 bytes, 0 unlimited), LOG_ROTATE (bool),
 * BUFFER_SIZE (u32 ring buffer bytes, 0 none), ROWS, COLS (u32 0..65535, 0 leaves the kernel default), UID, GID
 * (u32 host ids the pty slaves are given to: the container's root).
 */
#define LXJ_CONSOLE_MODE 1
#define LXJ_CONSOLE_TTYS 2
#define LXJ_CONSOLE_TTY_DIR 3
#define LXJ_CONSOLE_LOG_FILE 4
#define LXJ_CONSOLE_LOG_SIZE 5
#define LXJ_CONSOLE_LOG_ROTATE 6
#define LXJ_CONSOLE_BUFFER_SIZE 7
#define LXJ_CONSOLE_ROWS 8
#define LXJ_CONSOLE_COLS 9
#define LXJ_CONSOLE_UID 10
#define LXJ_CONSOLE_GID 11
/* LXJ_CONSOLE_MODE values: a monitor-held pty is /dev/console and init's stdio, or no console at all. */
#define LXJ_CONSOLE_MODE_PTY 1
#define LXJ_CONSOLE_MODE_NONE 2
/* Frames a console viewer sends on monitor.sock after "OK <tty>": u8 type, u16 len (network order), data. */
#define LXJ_CONSOLE_FRAME_INPUT 1
#define LXJ_CONSOLE_FRAME_RESIZE 2

/*
 * Attributes nested in LXJ_ATTR_ATTACH_PTY: FDS (u32 mask of TTY_*, required, not 0: the std fds the pty slave
 * replaces; the launcher relays its fd 0 to the master when TTY_IN is set and the master to its fd 1, else 2,
 * else 0), LOG (absolute host path the pty output is appended to), ROWS, COLS (u32 1..65535: the window size
 * when the caller's fds are no terminal; otherwise it is copied from the caller's terminal).
 */
#define LXJ_APTY_FDS 1
#define LXJ_APTY_LOG 2
#define LXJ_APTY_ROWS 3
#define LXJ_APTY_COLS 4

/* Attributes nested in LXJ_ATTR_MOUNT. */
#define LXJ_MOUNT_SOURCE 1
#define LXJ_MOUNT_TARGET 2
#define LXJ_MOUNT_FSTYPE 3
#define LXJ_MOUNT_FLAGS 4
#define LXJ_MOUNT_DATA 5
#define LXJ_MOUNT_CREATE 6
#define LXJ_MOUNT_OPTIONAL 7
#define LXJ_MOUNT_DEVICE 8
#define LXJ_MOUNT_PROPAGATION 9
#define LXJ_MOUNT_RELATIVE 10

/* Attributes nested in LXJ_ATTR_DEVICE. DEV_TYPE is 'c', 'b' or 'p'. */
#define LXJ_DEV_PATH 1
#define LXJ_DEV_TYPE 2
#define LXJ_DEV_MAJOR 3
#define LXJ_DEV_MINOR 4
#define LXJ_DEV_MODE 5
#define LXJ_DEV_UID 6
#define LXJ_DEV_GID 7
#define LXJ_DEV_BIND 8

/* Attributes nested in LXJ_ATTR_SYMLINK. */
#define LXJ_LINK_PATH 1
#define LXJ_LINK_TARGET 2

/* Attributes nested in LXJ_ATTR_PROC_WRITE: FILE is relative to /proc, under sys/ or self/. */
#define LXJ_PROC_FILE 1
#define LXJ_PROC_VALUE 2

/* Attributes nested in LXJ_ATTR_JOIN: NS is one CLONE_NEW* flag; exactly one of PATH and PID. */
#define LXJ_JOIN_NS 1
#define LXJ_JOIN_PATH 2
#define LXJ_JOIN_PID 3

/* LXJ_MOUNT_CREATE values: what to create at a missing target. */
#define LXJ_CREATE_NONE 0
#define LXJ_CREATE_DIR 1
#define LXJ_CREATE_FILE 2

/* Attributes nested in LXJ_ATTR_RLIMIT. */
#define LXJ_RLIMIT_RESOURCE 1
#define LXJ_RLIMIT_SOFT 2
#define LXJ_RLIMIT_HARD 3

/*
 * Attributes nested in LXJ_ATTR_HOOK: STAGE once, ARG repeated (the absolute program first), ENV repeated
 * (its whole environment), NS_ENV (stop hooks: pass the container's namespaces as LXC_<NS>_NS variables
 * instead of "<ns>:/proc/<monitor>/fd/<n>" arguments, LXC's lxc.hook.version 1).
 */
#define LXJ_HOOK_STAGE 1
#define LXJ_HOOK_ARG 2
#define LXJ_HOOK_ENV 3
#define LXJ_HOOK_NS_ENV 4

/* LXJ_HOOK_STAGE values, in the order they run. */
#define LXJ_HOOK_PRE_MOUNT 1
#define LXJ_HOOK_MOUNT 2
#define LXJ_HOOK_AUTODEV 3
#define LXJ_HOOK_START 4
#define LXJ_HOOK_STOP 5

/* Attributes of an ERROR payload and of CREATED/STARTED payloads. */
#define LXJ_ERR_STEP 1
#define LXJ_ERR_ERRNO 2
#define LXJ_ERR_MESSAGE 3
#define LXJ_REPLY_MONITOR_PID 4
#define LXJ_REPLY_INIT_PID 5
#define LXJ_REPLY_STATUS 6
#define LXJ_REPLY_DUMPABLE 7

/* Attributes of a REQUEST payload: VERSION u32, ARG string (repeated: the command, then its arguments),
 * CWD string, TTY u32 (a mask of TTY_*: which of fds 0-2 are terminals), WIDTH u32 (columns, 0: none). */
#define LXJ_REQ_VERSION 1
#define LXJ_REQ_ARG 2
#define LXJ_REQ_CWD 3
#define LXJ_REQ_TTY 4
#define LXJ_REQ_WIDTH 5
#define LXJ_TTY_IN 1
#define LXJ_TTY_OUT 2
#define LXJ_TTY_ERR 4
#define LXJ_MAX_REQUEST_ARGS 4096
/* A REQUEST comes with exactly this many fds: the client's stdin, stdout and stderr. */
#define LXJ_REQUEST_FDS 3

/* Steps, in the order the launcher carries them out (reported in ERROR). */
#define LXJ_STEP_PLAN 1
#define LXJ_STEP_REEXEC 2
#define LXJ_STEP_MONITOR 3
#define LXJ_STEP_CGROUP 4
#define LXJ_STEP_CLONE 5
#define LXJ_STEP_DUMPABLE 6
#define LXJ_STEP_USERNS_MAPS 7
#define LXJ_STEP_SETID_ROOT 8
#define LXJ_STEP_PROPAGATION 9
#define LXJ_STEP_ROOTFS 10
#define LXJ_STEP_MOUNT 11
#define LXJ_STEP_PIVOT 12
#define LXJ_STEP_MASK 13
#define LXJ_STEP_READONLY 14
#define LXJ_STEP_HOSTNAME 15
#define LXJ_STEP_RLIMIT 16
#define LXJ_STEP_CAPS 17
#define LXJ_STEP_USER 18
#define LXJ_STEP_NO_NEW_PRIVS 19
#define LXJ_STEP_WAIT_START 20
#define LXJ_STEP_CLOSE_FDS 21
#define LXJ_STEP_CWD 22
#define LXJ_STEP_EXEC 23
#define LXJ_STEP_INIT 24
#define LXJ_STEP_MONITOR_SOCKET 25
#define LXJ_STEP_DEVICE 26
#define LXJ_STEP_SYMLINK 27
#define LXJ_STEP_PROC_WRITE 28
#define LXJ_STEP_JOIN 29
#define LXJ_STEP_SECCOMP 30
#define LXJ_STEP_KEYRING 31
#define LXJ_STEP_PERSONALITY 32
#define LXJ_STEP_ATTACH 33
#define LXJ_STEP_UNSUPPORTED 34
#define LXJ_STEP_HOOK 35
#define LXJ_STEP_TIME 36
#define LXJ_STEP_LSM 37
#define LXJ_STEP_LANDLOCK 38
#define LXJ_STEP_CONSOLE 39
#define LXJ_STEP_PTY 40

/* Exit codes of the launcher/monitor process itself. */
#define LXJ_EXIT_OK 0
#define LXJ_EXIT_USAGE 64
#define LXJ_EXIT_PLAN 65
#define LXJ_EXIT_SETUP 66
#define LXJ_EXIT_REEXEC 67
#define LXJ_EXIT_INTERNAL 70
/* The client's exit code when no runtime listens on the control socket (EX_TEMPFAIL): boot one instead. */
#define LXJ_EXIT_NO_DAEMON 75
/* Exit codes of the container's command when it could not be started (shell convention). */
#define LXJ_EXIT_NOT_EXECUTABLE 126
#define LXJ_EXIT_NOT_FOUND 127
/* The built-in init exits with 128 + signal when its command was killed by a signal. */
#define LXJ_EXIT_SIGNAL_BASE 128

#endif
