#!/bin/sh
# libexec/lxj.sh, what bin/lxj runs for the JVM runtime. LXJ: start the runtime with its shell, run one command, or run the runtime as a daemon.
#   lxj                       interactive shell (prompt lxj> )
#   lxj lxc-ls -f             one command; exits with its status, stdout carries only its output. With a
#                             daemon up, the native client hands it over (milliseconds); else a runtime boots
#   lxj -c 'SCRIPT'           one Gogo script
#   lxj daemon                start the runtime daemon in the background; returns once it accepts commands
#   lxj daemon --foreground   run the daemon in this process (as systemd does, lib/systemd/lxj.service)
#   lxj shutdown              stop the daemon; containers keep running
#   lxj --version             product name, version and distribution profile (conf/framework.properties)
# Environment: JAVA_HOME (else java on PATH), LXJ_JAVA_OPTS (extra JVM options), LXJ_CONTROL_SOCKET (the
# daemon's socket, default /run/lxj/control.sock), LXJ_NO_DAEMON=1 (never use the daemon), LXJ_PID_FILE,
# LXJ_DAEMON_TIMEOUT (seconds `lxj daemon` and `lxj shutdown` wait, default 120).

# bin/lxj is the launcher binary (multicall, called "lxj"): it hands a command to the daemon when one listens, with
# no shell and no JVM on the path, and runs this script for everything else (no daemon: with LXJ_NO_DAEMON=1).

resolve() {
    # the real location of this script, through symlinks
    f=$1
    while [ -L "$f" ]; do
        l=$(readlink "$f")
        case $l in /*) f=$l ;; *) case $f in */*) f=${f%/*}/$l ;; *) f=$l ;; esac ;; esac
    done
    # directories by expansion, not dirname: a fork and exec less each
    case $f in */*) d=${f%/*} ;; *) d=. ;; esac
    cd "${d:-/}/.." && pwd -P
}
LXJ_HOME=$(resolve "$0") || exit 1
CLIENT="$LXJ_HOME/libexec/lxj-launcher"

# A daemon on a socket of its own (LXJ_CONTROL_SOCKET) gets a pid file and log of its own.
if [ -n "${LXJ_CONTROL_SOCKET:-}" ]; then
    SUFFIX=-$(printf '%s' "$LXJ_CONTROL_SOCKET" | cksum | cut -d' ' -f1)
else
    SUFFIX=
fi
PID_FILE=${LXJ_PID_FILE:-$LXJ_HOME/log/lxj-daemon$SUFFIX.pid}
DAEMON_LOG=$LXJ_HOME/log/lxj-daemon$SUFFIX.log
SOCKET=${LXJ_CONTROL_SOCKET:-/run/lxj/control.sock}
TIMEOUT=${LXJ_DAEMON_TIMEOUT:-120}

# Polls every 0.1 s, at most TIMEOUT seconds, until "$@" succeeds. Returns 1 on timeout.
wait_until() {
    n=0
    while [ "$n" -lt $((TIMEOUT * 10)) ]; do
        "$@" && return 0
        sleep 0.1
        n=$((n + 1))
    done
    return 1
}

alive() { kill -0 "$1" 2>/dev/null; }
gone() { ! kill -0 "$1" 2>/dev/null; }
listening_or_dead() { "$CLIENT" client --ping || gone "$1"; }

start_daemon() {
    if "$CLIENT" client --ping; then
        echo "lxj: a daemon already listens on $SOCKET" >&2
        return 0
    fi
    mkdir -p "$(dirname "$DAEMON_LOG")" || return 1
    # its own session: the terminal's Ctrl-C and hangup do not reach it
    LXJ_PID_FILE=$PID_FILE setsid "$LXJ_HOME/bin/lxj" daemon --foreground </dev/null >"$DAEMON_LOG" 2>&1 &
    pid=$!
    if wait_until listening_or_dead "$pid" && alive "$pid"; then
        echo "lxj: daemon started (pid $pid), listening on $SOCKET" >&2
        return 0
    fi
    if alive "$pid"; then
        echo "lxj: the daemon (pid $pid) did not listen on $SOCKET within ${TIMEOUT}s; stopping it" >&2
        kill "$pid" 2>/dev/null
    else
        echo "lxj: the daemon failed to start" >&2
    fi
    echo "lxj: the end of $DAEMON_LOG:" >&2
    tail -n 20 "$DAEMON_LOG" >&2
    return 1
}

stop_daemon() {
    pid=$(cat "$PID_FILE" 2>/dev/null)
    "$CLIENT" client --shutdown
    status=$?
    if [ "$status" -eq 75 ]; then
        echo "lxj: no daemon listens on $SOCKET" >&2
        return 2
    fi
    if [ "$status" -eq 0 ] && [ -n "$pid" ] && ! wait_until gone "$pid"; then
        echo "lxj: the daemon (pid $pid) is still running after ${TIMEOUT}s" >&2
        return 1
    fi
    return "$status"
}

case "${1:-}" in
    daemon)
        case "${2:-}" in
            "") start_daemon; exit $? ;;
            --foreground) MODE=--daemon ;;
            *) echo "lxj: daemon takes no argument but --foreground" >&2; exit 1 ;;
        esac
        ;;
    shutdown)
        [ $# -eq 1 ] || { echo "lxj: shutdown takes no arguments" >&2; exit 1; }
        stop_daemon
        exit $?
        ;;
esac

if [ -n "$JAVA_HOME" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

# A one-command run is short: C1 alone starts faster. So does the daemon: each command runs mostly code seen a
# few times, and C2 kept recompiling it (a third of the daemon's CPU after 100 lxc-execute, about 30% slower
# executes on a loaded 2-core host, bench/README.md). A start runs most of its code once, so the daemon's C1
# compiles a method after 10 calls instead of 200: lxc-execute after 40 others, 12.4 ms instead of 15.5 (median).
# The interactive runtime keeps the full JIT.
if [ "${1:-}" = --daemon ]; then MODE=--daemon; fi
if [ -n "${MODE:-}" ]; then
    set -- "$MODE"
    MODE_OPTS="-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.05"
elif [ $# -gt 0 ]; then
    MODE_OPTS="-XX:TieredStopAtLevel=1"
else
    MODE_OPTS=""
fi

# A small initial heap keeps the resident size down (about 75 MB instead of 120 MB for one command);
# the heap still grows as containers and commands need it.
# shellcheck disable=SC2086
exec "$JAVA" -XX:+UseSerialGC -Xms16m -Xss1m $MODE_OPTS $LXJ_JAVA_OPTS \
    -Dlxj.home="$LXJ_HOME" -Dlxj.pidfile="$PID_FILE" \
    -cp "$LXJ_HOME/lib/lxj-launcher.jar" org.lxj.dist.launcher.Main "$@"
