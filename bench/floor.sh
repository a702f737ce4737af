#!/usr/bin/env bash
# The floor of a start on this host: LXJ's launcher alone (no JVM), with and without the cgroups LXJ makes, next
# to Debian's lxc-execute and crun on ONE busybox rootfs, plus a probe of the kernel's cgroup migration barrier.
#   bench/floor.sh [N]      N interleaved rounds (default 30); run as root from anywhere
# Environment: LXJ (the command that builds the rootfs and captures the plan, default ./lxj of this checkout),
# BENCH_DIR (scratch parent, default /var/tmp), FLOOR_GAP_MS (idle time before each timed command, default 50),
# FLOOR_STRACE=K (afterwards, K starts of LXC and of the floor under strace: cgroup migrations, slowest calls).
# Prints medians, p10 and p90, never single runs. Everything it makes is removed on exit, also on Ctrl-C.
set -u

N=${1:-30}
GAP_MS=${FLOOR_GAP_MS:-50}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
LXJ=${LXJ:-$ROOT/lxj}
NAME=floor$$ # the container; its cgroups are lxc.payload.$NAME and lxc.monitor.$NAME, this run's alone

die() { echo "floor: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (containers are started for real)"
case $N in '' | *[!0-9]* | 0) die "N must be a positive number, not \"$N\"" ;; esac
case $GAP_MS in '' | *[!0-9]*) die "FLOOR_GAP_MS must be a number of milliseconds, not \"$GAP_MS\"" ;; esac
for tool in lxc-execute strace gcc python3; do
    command -v "$tool" >/dev/null || die "needs $tool (apt-get install lxc strace gcc python3)"
done
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash 5 (EPOCHREALTIME)"
[ -d /sys/fs/cgroup/pids ] || die "needs the cgroup v1 pids hierarchy at /sys/fs/cgroup/pids (the barrier probe)"

WORK=$(mktemp -d "${BENCH_DIR:-/var/tmp}/lxj-floor.XXXXXX") || die "cannot make a scratch directory"
LXJ_P=$WORK/lxj
LXC_P=$WORK/lxc
CRUN_ROOT=$WORK/crun-state
CRUN_B=$WORK/crun
CAP=$WORK/capture   # ops.txt, plan.bin, plan-nocg.bin: one start of LXJ's daemon, as the driver replays it
ERRLOG=$WORK/errors.log
DRIVER=$WORK/floor-driver
mkdir -p "$LXJ_P" "$LXC_P" "$CRUN_ROOT" "$CRUN_B" "$CAP"
export LXJ_CONTROL_SOCKET=/run/lxj/floor-$$.sock
# the runtime's run and lock entries of this scratch lxcpath (RunLayout: SHA-256 of the lxcpath, 12 hex digits)
RUNID=$(printf '%s' "$LXJ_P" | sha256sum | cut -c1-12)
DPID=                 # the daemon of the capture, started by this script in a session of its own
CRUN=$(command -v crun || true)
CRUN_NOTE=""
CRUN_NS=$WORK/crun-ns
CRUN_CMD=()
STRACE_PID=
[ -z "$CRUN" ] && CRUN_NOTE="crun is not installed (apt-get install crun): its row is skipped"

# ---- cleanup -------------------------------------------------------------------------------------------
# The directories one captured start makes (run directory, cgroups), removed if a run was interrupted.
captured_dirs() { [ -s "$CAP/ops.txt" ] && awk '$1 == "mkdir" { print $2 }' "$CAP/ops.txt" | tac; }
cleanup() {
    set +e
    [ -n "$STRACE_PID" ] && kill "$STRACE_PID" 2>/dev/null && wait "$STRACE_PID" 2>/dev/null
    lxc-stop -n "$NAME" -P "$LXC_P" -k >/dev/null 2>&1
    if [ ${#CRUN_CMD[@]} -gt 0 ]; then
        for n in $("${CRUN_CMD[@]}" list -q 2>/dev/null); do "${CRUN_CMD[@]}" delete -f "$n" >/dev/null 2>&1; done
    fi
    if [ -e "$CRUN_NS/mnt" ]; then
        umount "$CRUN_NS/mnt" 2>/dev/null
        umount "$CRUN_NS" 2>/dev/null
    fi
    if [ -n "$DPID" ]; then
        "$LXJ" shutdown >/dev/null 2>&1 || kill "$DPID" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$DPID" 2>/dev/null
        wait "$DPID" 2>/dev/null
    fi
    local d
    for d in $(captured_dirs); do
        case $d in /sys/fs/cgroup/*) [ -d "$d" ] && rmdir "$d" ;; esac
    done
    rmdir /sys/fs/cgroup/pids/lxjfloor-probe.* 2>/dev/null
    rm -rf "$LXC_P"
    rm -rf "/run/lxc/lock${WORK:?}" # LXC keeps /run/lxc/lock/<lxcpath>/.<name> after its containers are gone
    [ -d "$LXJ_P/$NAME" ] && LXJ_NO_DAEMON=1 "$LXJ" lxc-destroy -n "$NAME" -P "$LXJ_P" -f >/dev/null 2>&1
    rm -rf "/run/lxj/${RUNID:?}" "/run/lxj/locks/${RUNID:?}"
    remove_scratch floor
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- helpers -------------------------------------------------------------------------------------------
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # ratio, remove_scratch (floor's own timed waits a gap and keeps the output)
gap() { [ "$GAP_MS" -gt 0 ] && sleep "$(awk -v m="$GAP_MS" 'BEGIN { printf "%.3f", m / 1000 }')"; }

# timed LABEL CMD...: after the idle gap, appends the command's wall time (µs) to $WORK/LABEL; the command's
# stdout goes to $WORK/out. A failure stops the bench.
timed() {
    local label=$1 t0 t1 rc
    shift
    gap
    t0=${EPOCHREALTIME/./} # no $(…): a subshell's fork would be timed too
    "$@" >"$WORK/out" 2>>"$ERRLOG" </dev/null
    rc=$?
    t1=${EPOCHREALTIME/./}
    [ "$rc" -eq 0 ] || { tail -n 20 "$ERRLOG" >&2; die "$label: \"$*\" exited with $rc"; }
    echo $((t1 - t0)) >>"$WORK/$label"
}

# floor LABEL ARGS...: one driver start; LABEL gets its own times (first step to last, then the phases)
floor() {
    local label=$1
    shift
    timed "$label.wall" "$DRIVER" start "$LAUNCHER" "$CAP/ops.txt" "$@"
    cat "$WORK/out" >>"$WORK/$label"
}

# stats FILE [COLUMN]: median p10 p90 of the µs in that column (default 1), in ms with two decimals (nearest rank)
stats() {
    [ -s "$1" ] || { echo "- - -"; return; }
    awk -v c="${2:-1}" '{ print $c }' "$1" | sort -n | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        p10 = v[int(0.1 * NR + 0.999)]; if (p10 == "") p10 = v[1]
        p90 = v[int(0.9 * NR + 0.999)]
        printf "%.2f %.2f %.2f", m / 1000, p10 / 1000, p90 / 1000 }'
}

# ---- preparation ---------------------------------------------------------------------------------------
echo "Preparing one busybox rootfs in $WORK …" >&2
LXJ_NO_DAEMON=1 "$LXJ" lxc-create -n "$NAME" -t busybox -P "$LXJ_P" >/dev/null 2>"$ERRLOG" ||
    { cat "$ERRLOG" >&2; die "lxc-create -t busybox failed"; }
ROOTFS=$LXJ_P/$NAME/rootfs
[ -x "$ROOTFS/bin/true" ] || die "no /bin/true in $ROOTFS"
grep -q '^lxc.net' "$LXJ_P/$NAME/config" || echo "lxc.net.0.type = empty" >>"$LXJ_P/$NAME/config"
mkdir -p "$LXC_P/$NAME"
grep -v -e '^lxc.rootfs.path' -e '^lxc.uts.name' -e '^lxc.net' "$LXJ_P/$NAME/config" >"$LXC_P/$NAME/config"
printf 'lxc.rootfs.path = dir:%s\nlxc.uts.name = %s\nlxc.net.0.type = empty\n' "$ROOTFS" "$NAME" >>"$LXC_P/$NAME/config"

# the distribution LXJ runs (LXJ=<dist>/bin/lxj, or ./lxj of the checkout: runtime-dist/target/lxj) and its launcher
DIST_HOME=$(cd "$(dirname "$(readlink -f "$LXJ")")/.." && pwd -P)
[ -x "$DIST_HOME/libexec/lxj-launcher" ] || DIST_HOME=$ROOT/runtime-dist/target/lxj
LAUNCHER=$DIST_HOME/libexec/lxj-launcher
[ -x "$LAUNCHER" ] || die "no lxj-launcher next to $LXJ nor in runtime-dist/target/lxj/libexec"

gcc -O2 -Wall -static -pthread -I"$ROOT/bundles/launcher/src/main/c" -o "$DRIVER" "$ROOT/bench/floor-driver.c" 2>>"$ERRLOG" ||
    { tail -n 20 "$ERRLOG" >&2; die "cannot compile bench/floor-driver.c"; }

if [ -n "$CRUN" ]; then
    # as start-latency.sh: on a hybrid host whose cgroup2 mount has controllers crun 1.8 refuses to run, so it
    # runs in a mount namespace of its own that hides that mount, with its cgroup manager disabled
    CRUN_CMD=("$CRUN" --root "$CRUN_ROOT")
    if [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = tmpfs ] && grep -q . /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null; then
        mkdir -p "$CRUN_NS" && touch "$CRUN_NS/mnt" && mount --bind "$CRUN_NS" "$CRUN_NS" &&
            mount --make-private "$CRUN_NS" && touch "$CRUN_NS/mnt" &&
            unshare --mount="$CRUN_NS/mnt" --propagation private \
                mount -t tmpfs -o ro,size=4k lxj-bench-hide-cgroup2 /sys/fs/cgroup/unified ||
            die "cannot prepare crun's mount namespace for this hybrid cgroup host"
        CRUN_CMD=(nsenter --mount="$CRUN_NS/mnt" "$CRUN" --cgroup-manager=disabled --root "$CRUN_ROOT")
        CRUN_NOTE="crun: hybrid cgroup host, so --cgroup-manager=disabled through nsenter (no cgroups; nsenter adds about 1 ms)"
    fi
    mkdir -p "$CRUN_B/true"
    (cd "$CRUN_B/true" && "$CRUN" spec) || die "crun spec failed"
    python3 - "$CRUN_B/true/config.json" "$ROOTFS" "$NAME" <<'EOF' || die "cannot write crun's config.json"
import json, sys
path, rootfs, name = sys.argv[1:]
c = json.load(open(path))
c["root"] = {"path": rootfs, "readonly": False}
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/true"]
c["hostname"] = name
c["linux"]["namespaces"].append({"type": "cgroup"})
c["mounts"] = [m for m in c["mounts"] if m["destination"] != "/sys/fs/cgroup"]
c["linux"].pop("resources", None)
json.dump(c, open(path, "w"), indent=1)
EOF
fi

# ---- capture: one start of LXJ's daemon under strace -----------------------------------------------------
# The daemon's own file system steps (run directory, cgroup mkdirs and settings, the monitor's placement,
# rmdirs) and the PLAN frame it sends, for `lxc-execute -n floor -- /bin/true`. The launcher's processes
# (everything after an execve) are left out: the driver spawns the real launcher, which does their part.
echo "Capturing one start of LXJ's daemon …" >&2
# in the foreground of a session of its own, so this script knows its pid from the start (cleanup stops it even
# when interrupted while it boots)
setsid "$LXJ" daemon --foreground </dev/null >"$WORK/daemon.log" 2>&1 &
DPID=$!
for _ in $(seq 1 600); do
    "$LAUNCHER" client --ping 2>/dev/null && break
    kill -0 "$DPID" 2>/dev/null || { tail -n 20 "$WORK/daemon.log" >&2; die "the daemon failed to start"; }
    sleep 0.1
done
"$LAUNCHER" client --ping 2>/dev/null || die "the daemon does not listen on $LXJ_CONTROL_SOCKET after 60 s"
for i in 1 2 3; do "$LXJ" lxc-execute -n "$NAME" -P "$LXJ_P" -- /bin/true >/dev/null 2>>"$ERRLOG" || die "LXJ's lxc-execute failed"; done
strace -f -y -xx -s 262144 -o "$CAP/trace" -p "$DPID" \
    -e trace=mkdir,mkdirat,rmdir,write,pwrite64,sendmsg,sendto,execve,clone,clone3,vfork,fork 2>>"$ERRLOG" &
STRACE_PID=$!
for i in $(seq 1 100); do grep -q . "$CAP/trace" 2>/dev/null && break; sleep 0.05; done
sleep 0.5 # strace attaches to the daemon's threads one after another
"$LXJ" lxc-execute -n "$NAME" -P "$LXJ_P" -- /bin/true >/dev/null 2>>"$ERRLOG" || die "LXJ's lxc-execute failed under strace"
sleep 0.5
kill "$STRACE_PID" && wait "$STRACE_PID" 2>/dev/null
STRACE_PID=
"$LXJ" shutdown >/dev/null 2>&1 && wait "$DPID" 2>/dev/null && DPID=
python3 - "$CAP/trace" "$CAP" <<'EOF' || die "cannot extract the start from strace's output"
import re, struct, sys
trace, out = sys.argv[1:]
hexs = lambda s: bytes.fromhex(s.replace('\\x', ''))
START = bytes([3, 0, 0, 0, 0, 0, 0, 0])
excluded, ops, made, plan, pending = set(), [], [], None, {}
for raw in open(trace, errors='replace'):
    m = re.match(r'^(\d+) +(.*)$', raw.rstrip('\n'))
    if not m:
        continue
    pid, rest = int(m.group(1)), m.group(2)
    if rest.endswith('<unfinished ...>'):
        pending[pid] = rest[:-len('<unfinished ...>')]
        continue
    r = re.match(r'<\.\.\. (\w+) resumed>(.*)', rest)
    if r:
        rest = pending.pop(pid, r.group(1) + '(') + r.group(2)
    call = re.match(r'(\w+)\((.*)\) += (-?\d+)', rest)
    if not call:
        continue
    name, args, rv = call.group(1), call.group(2), int(call.group(3))
    if name == 'execve':
        excluded.add(pid)
        continue
    if name in ('clone', 'clone3', 'vfork', 'fork') and rv > 0 and (pid in excluded or 'CLONE_THREAD' not in args):
        excluded.add(rv)  # a process: the launcher (posix_spawn) or one of its own
        continue
    if pid in excluded:
        continue
    s = re.findall(r'"((?:\\x[0-9a-f]{2})*)"', args)
    if name in ('mkdir', 'mkdirat') and rv == 0 and s:
        p = hexs(s[0]).decode()
        if p.startswith('/'):
            ops.append(('mkdir', p)); made.append(p)
    elif name == 'rmdir' and rv == 0 and s and hexs(s[0]).decode() in made:
        ops.append(('rmdir', hexs(s[0]).decode()))
    elif name == 'sendmsg' and s and plan is None:
        b = hexs(s[0])
        if len(b) >= 8 and struct.unpack_from('<HHI', b)[0] == 1:
            plan = b
            ops.append(('plan',))
    elif plan is not None and name in ('write', 'sendto', 'sendmsg') and s and hexs(s[0]) == START:
        ops.append(('start',))
    elif name in ('write', 'pwrite64') and rv > 0 and s:
        fd = re.match(r'\d+<((?:\\x[0-9a-f]{2})*)>', args)
        p = hexs(fd.group(1)).decode() if fd else ''
        if not p.startswith('/sys/fs/cgroup/') or p.rsplit('/', 1)[0] not in made:
            continue
        if p.rsplit('/', 1)[1] in ('cgroup.procs', 'tasks'):
            ops.append(('place', p))  # the monitor, after CREATED
        else:
            ops.append(('write', p, hexs(s[0]).hex()))
if plan is None or ('start',) not in ops:
    sys.exit('floor: no PLAN and START frames in the trace')
t, fl, ln = struct.unpack_from('<HHI', plan)
if len(plan) != 8 + ln:
    sys.exit('floor: the captured PLAN frame is truncated')
open(out + '/plan.bin', 'wb').write(plan)
# the same plan without cgroup placement: CGROUP_PATH (8) and CGROUP_PROCS (38) dropped
body, off, keep = plan[8:], 0, b''
while off < len(body):
    at, af, al = struct.unpack_from('<HHI', body, off)
    if at not in (8, 38):
        keep += body[off:off + 8 + al]
    off += 8 + al
open(out + '/plan-nocg.bin', 'wb').write(struct.pack('<HHI', 1, 0, len(keep)) + keep)
with open(out + '/ops.txt', 'w') as f:
    f.writelines(' '.join(o) + '\n' for o in ops)
EOF
rm -f "$CAP/trace"
grep -q '^mkdir /sys/fs/cgroup/' "$CAP/ops.txt" && CGNOTE="$(grep -c '^mkdir /sys/fs/cgroup/' "$CAP/ops.txt") cgroup mkdirs, $(grep -c '^write ' "$CAP/ops.txt") settings, $(grep -c '^place ' "$CAP/ops.txt") monitor placements" ||
    CGNOTE="the daemon made no cgroups (no cgroup backend installed): a and b are the same start"
echo "Captured: $(wc -c <"$CAP/plan.bin") bytes of plan; $CGNOTE" >&2

# Warm-up: one of each, not counted.
A=("$CAP/plan.bin" cgroups)
B=("$CAP/plan-nocg.bin")
timed warm "$DRIVER" start "$LAUNCHER" "$CAP/ops.txt" "${A[@]}"
timed warm "$DRIVER" start "$LAUNCHER" "$CAP/ops.txt" "${B[@]}"
timed warm lxc-execute -n "$NAME" -P "$LXC_P" -- /bin/true
[ -n "$CRUN" ] && timed warm "${CRUN_CMD[@]}" run -b "$CRUN_B/true" warm

# ---- interleaved rounds ----------------------------------------------------------------------------------
echo "Timing $N interleaved rounds (${GAP_MS} ms idle before each command) …" >&2
for i in $(seq 1 "$N"); do
    floor a.spare "${A[@]}" spare
    floor a.warm "${A[@]}" spare warm
    floor b.spare "${B[@]}" spare
    timed c lxc-execute -n "$NAME" -P "$LXC_P" -- /bin/true
    [ -n "$CRUN" ] && timed d "${CRUN_CMD[@]}" run -b "$CRUN_B/true" "t$i"
    floor a.fresh "${A[@]}"
    floor b.fresh "${B[@]}"
    timed noop "$DRIVER" noop
    gap
    "$DRIVER" probe 50 >"$WORK/out" 2>>"$ERRLOG" || die "the barrier probe failed: $(tail -n 1 "$ERRLOG")"
    read -r first second <"$WORK/out"
    echo "$first" >>"$WORK/e.first"
    echo "$second" >>"$WORK/e.second"
done

# ---- report ----------------------------------------------------------------------------------------------
C_MED=$(stats "$WORK/c" | cut -d' ' -f1)
row() { # LABEL FILE: median p10 p90 ratio-to-LXC
    local s
    s=$(stats "$WORK/$2")
    # shellcheck disable=SC2086
    printf '%-58s %8s %8s %8s %7s\n' "$1" $s "$(ratio "${s%% *}" "$C_MED")"
}
med() { stats "$WORK/$1" "$2" | cut -d' ' -f1; }
phases() { # LABEL FILE: the medians of the driver's phases
    printf '%-36s %7s %9s %7s %9s %9s %8s\n' "$1" "$(med "$2" 2)" "$(med "$2" 3)" "$(med "$2" 4)" "$(med "$2" 5)" \
        "$(med "$2" 6)" "$(med "$2" 7)"
}
echo
echo "The floor of a start, $N interleaved rounds, ${GAP_MS} ms idle before each ($(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "LXC $(lxc-execute --version)${CRUN:+, $("$CRUN" --version | head -n 1)}; rootfs: busybox from LXJ's template, empty network"
echo "Plan: captured from LXJ's daemon for lxc-execute -n $NAME -- /bin/true; $CGNOTE"
[ -n "$CRUN_NOTE" ] && echo "$CRUN_NOTE"
echo "a and b: the driver's own clock, first step to last (the run directory's mkdir to its removal)"
echo
printf '%-58s %8s %8s %8s %7s\n' "case (ms)" median p10 p90 "/LXC"
row "a  launcher + LXJ's cgroups, spare launcher" a.spare
row "a' launcher + LXJ's cgroups, fresh launcher" a.fresh
row "a\" launcher + LXJ's cgroups, spare, barrier kept warm" a.warm
row "b  launcher, no cgroups, spare launcher" b.spare
row "b' launcher, no cgroups, fresh launcher" b.fresh
row "   exec of a small static program (a client; wall)" noop
row "c  lxc-execute -n $NAME -- /bin/true (wall)" c
[ -n "$CRUN" ] && row "d  crun run (wall)" d
row "e  barrier: own pid to a fresh v1 cgroup.procs, 50 ms idle" e.first
row "e  the move back right after" e.second
echo
echo "Phases of a and b (medians, ms): dirs = run directory and cgroups made and set; create = plan (and a fresh"
echo "launcher's spawn) to CREATED: clone, init's cgroup moves, mounts, pivot_root; place = the monitor's moves;"
echo "start = START to STARTED; run = /bin/true until the monitor exits; remove = rmdirs and the run directory."
echo "a\": a thread of the driver moves itself into its own cgroup every 2 ms from 20 ms before the start until"
echo "the monitor is placed (core's MigrationWarmer, started early): the kernel's migration barrier stays open"
printf '%-36s %7s %9s %7s %9s %9s %8s\n' "" dirs create place start run remove
phases "a  cgroups, spare" a.spare
phases "a' cgroups, fresh" a.fresh
phases "a\" cgroups, spare, warm barrier" a.warm
phases "b  no cgroups, spare" b.spare
phases "b' no cgroups, fresh" b.fresh
echo
NOOP=$(med noop 1)
echo "a/c = $(ratio "$(med a.spare 1)" "$C_MED"), b/c = $(ratio "$(med b.spare 1)" "$C_MED") (spare launcher; the goal is 0.5; a client's exec adds about $NOOP ms)"

# ---- optional: cgroup migrations of one start under strace ----------------------------------------------
[ -n "${FLOOR_STRACE:-}" ] || exit 0
migrations() { # LABEL CMD...: starts under strace: their cgroup migrations, then the slowest system calls
    local label=$1 k
    shift
    rm -f "$WORK"/st.* "$WORK/st"
    for k in $(seq 1 "$STRACE_RUNS"); do
        gap
        # -ff: one file per process, so no call is split into "unfinished" and "resumed" halves
        strace -ff -T -y -o "$WORK/st.$k" "$@" >/dev/null 2>>"$ERRLOG" </dev/null || die "$label failed under strace"
    done
    cat "$WORK"/st.* >"$WORK/st"
    awk -v l="$label" -v k="$STRACE_RUNS" '/^(write|pwrite64)\(/ && /(cgroup\.procs|\/tasks)>/ && / = [0-9]+ </ {
            t = $NF; gsub(/[<>]/, "", t); n++; if (t > mx) mx = t; if (t > 0.002) slow++ }
        END { printf "%s, per start (%d under strace): %.1f migrations, %.1f of them slower than 2 ms (slowest %.2f ms)\n",
            l, k, n / k, slow / k, mx * 1000 }' "$WORK/st"
    # the slowest calls that do work (not the ones that wait for another process or a message)
    awk '/ <[0-9.]+>$/ && !/CLONE_VFORK/ && !/^(wait4|waitid|read|recvmsg|recvfrom|poll|ppoll|epoll_wait|epoll_pwait|select|pselect6|pause|rt_sigsuspend|rt_sigtimedwait|nanosleep|clock_nanosleep|futex|accept|accept4)\(/ {
            t = $NF; gsub(/[<>]/, "", t); c = $1; sub(/\(.*/, "", c); a = $0; sub(/^[a-z0-9_]+\(/, "", a)
            printf "%.2f %s %s\n", t * 1000, c, substr(a, 1, 70) }' "$WORK/st" | sort -rn | head -n 5 |
        awk '{ printf "    %7.2f ms  %s(%s\n", $1, $2, substr($0, length($1 " " $2 " ") + 1) }'
}
STRACE_RUNS=$FLOOR_STRACE
case $STRACE_RUNS in *[!0-9]* | 0) STRACE_RUNS=1 ;; esac
echo
echo "Starts under strace -ff -T (strace slows every call: read the counts and which calls are slow):"
migrations "LXC lxc-execute" lxc-execute -n "$NAME" -P "$LXC_P" -- /bin/true
migrations "floor a' (launcher + cgroups, fresh)" "$DRIVER" start "$LAUNCHER" "$CAP/ops.txt" "${A[@]}"
