#!/usr/bin/env bash
# lxc-attach latency after idle: LXJ (and optionally a second LXJ build) beside Debian's LXC, on ONE busybox rootfs.
#   bench/attach-latency.sh [N]     N interleaved rounds (default 30); run as root from anywhere
# Environment: LXJ (the command to time, default ./lxj of this checkout), LXJ_BEFORE (a second lxj command to
# time beside it, e.g. bin/lxj of a copy of an older distribution), IDLE_MS (the pause before each command,
# default 200: long enough for the kernel's cgroup migration barrier to go quiet), BENCH_DIR (scratch parent,
# default /var/tmp). Each LXJ gets a daemon of its own on a socket of its own; prints medians only.
set -u

N=${1:-30}
IDLE_MS=${IDLE_MS:-200}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
LXJ=${LXJ:-$ROOT/lxj}
LXJ_BEFORE=${LXJ_BEFORE:-}

die() { echo "attach-latency: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (containers are started for real)"
case $N in '' | *[!0-9]* | 0) die "N must be a positive number, not \"$N\"" ;; esac
command -v lxc-attach >/dev/null || die "Debian's lxc is not installed (apt-get install lxc)"
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash 5 (EPOCHREALTIME)"

WORK=$(mktemp -d "${BENCH_DIR:-/var/tmp}/lxj-attach.XXXXXX") || die "cannot make a scratch directory"
ERRLOG=$WORK/errors.log
# runtime label -> lxj command and lxcpath; "lxc" is Debian's LXC
LABELS=(after)
declare -A CMD=([after]=$LXJ)
[ -n "$LXJ_BEFORE" ] && { LABELS=(before after); CMD[before]=$LXJ_BEFORE; }
STARTED=()

sock() { echo "/run/lxj/bench-attach-$$-$1.sock"; }
lxj() { local l=$1; shift; LXJ_CONTROL_SOCKET=$(sock "$l") "${CMD[$l]}" "$@"; }

cleanup() {
    set +e
    local l
    for l in "${STARTED[@]}"; do
        if [ "$l" = lxc ]; then
            lxc-stop -n s -P "$WORK/lxc" -k >/dev/null 2>&1
        else
            lxj "$l" lxc-stop -n s -P "$WORK/$l" -k >/dev/null 2>&1
            lxj "$l" shutdown >/dev/null 2>&1
        fi
    done
    for l in "${LABELS[@]}" lxc; do rm -rf "${WORK:?}/$l/s"; done
    # b's destroy in a runtime of its own, as start-latency.sh does: no run files of the bench stay under /run/lxj
    [ -d "$WORK/after/b" ] && LXJ_NO_DAEMON=1 "$LXJ" lxc-destroy -n b -P "$WORK/after" -f >/dev/null 2>&1
    remove_scratch attach-latency && rm -rf "/run/lxc/lock${WORK:?}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # timed, remove_scratch
pause() { sleep "$(awk -v m="$IDLE_MS" 'BEGIN { printf "%.3f", m / 1000 }')"; }

# stats FILE: median, min and max (ms, one decimal)
stats() {
    sort -n "$1" | awk '{v[NR] = $1} END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "median %.1f ms (min %.1f, max %.1f, n %d)", m / 1000, v[1] / 1000, v[NR] / 1000, NR }'
}

echo "Preparing one busybox rootfs in $WORK …" >&2
mkdir -p "$WORK/after" "$WORK/lxc"
LXJ_NO_DAEMON=1 "$LXJ" lxc-create -n b -t busybox -P "$WORK/after" >/dev/null 2>"$ERRLOG" ||
    { cat "$ERRLOG" >&2; die "lxc-create -t busybox failed"; }
ROOTFS=$WORK/after/b/rootfs
# container s of every runtime: the busybox config, on b's rootfs, loopback only
for l in "${LABELS[@]}" lxc; do
    mkdir -p "$WORK/$l/s"
    grep -v -e '^lxc.rootfs.path' -e '^lxc.uts.name' -e '^lxc.net' "$WORK/after/b/config" >"$WORK/$l/s/config"
    printf 'lxc.rootfs.path = dir:%s\nlxc.uts.name = s\nlxc.net.0.type = empty\n' "$ROOTFS" >>"$WORK/$l/s/config"
done

for l in "${LABELS[@]}"; do
    lxj "$l" daemon >>"$ERRLOG" 2>&1 || { tail -n 5 "$ERRLOG" >&2; die "$l: lxj daemon failed"; }
    STARTED+=("$l")
    lxj "$l" lxc-start -n s -P "$WORK/$l" -d -- /bin/sleep 100000 >>"$ERRLOG" 2>&1 || die "$l: lxc-start failed"
done
lxc-start -n s -P "$WORK/lxc" -d -- /bin/sleep 100000 >>"$ERRLOG" 2>&1 || die "lxc: lxc-start failed"
STARTED+=(lxc)

attach() {
    if [ "$1" = lxc ]; then
        timed lxc.times lxc-attach -n s -P "$WORK/lxc" -- /bin/true
    else
        timed "$1.times" lxj "$1" lxc-attach -n s -P "$WORK/$1" -- /bin/true
    fi
}

# warm-up, not counted
for l in "${LABELS[@]}" lxc; do attach "$l"; done
rm -f "$WORK"/*.times
echo "Timing $N interleaved rounds, ${IDLE_MS} ms idle before each command …" >&2
for i in $(seq 1 "$N"); do
    for l in "${LABELS[@]}" lxc; do
        pause
        attach "$l"
    done
done

echo "lxc-attach -n s -- /bin/true on a running sleep container, ${IDLE_MS} ms idle before each, N=$N, load $(cut -d' ' -f1 /proc/loadavg)"
for l in "${LABELS[@]}"; do echo "LXJ $l (${CMD[$l]}): $(stats "$WORK/$l.times")"; done
echo "LXC $(lxc-attach --version): $(stats "$WORK/lxc.times")"
