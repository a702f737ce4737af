#!/usr/bin/env bash
# Start latency and monitor footprint of LXJ, side by side with Debian's LXC and crun, on ONE busybox rootfs.
#   bench/start-latency.sh [N]      N rounds per timed case (default 10); run as root from anywhere
# Environment: LXJ (the command to time, default ./lxj of this checkout), BENCH_DIR (scratch parent,
# default /var/tmp), BENCH_DENSITY (containers for the density case, default 50), BENCH_QUICK=1 (only the
# execute case: LXJ, LXC and crun interleaved, nothing detached), BENCH_WARMUP (untimed rounds of each
# first, default 20; 1 shows a daemon just started).
# Prints medians and ratios only, never single runs. Everything it makes is removed on exit.
set -u

N=${1:-10}
DENSITY=${BENCH_DENSITY:-50}
WARMUP=${BENCH_WARMUP:-20}
QUICK=${BENCH_QUICK:-}
[ -n "$QUICK" ] && DENSITY=0
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
LXJ=${LXJ:-$ROOT/lxj}
DIST="$ROOT/runtime-dist/target/lxj"

die() { echo "start-latency: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (containers are started for real)"
case $N in '' | *[!0-9]* | 0) die "N must be a positive number, not \"$N\"" ;; esac
case $WARMUP in '' | *[!0-9]*) die "BENCH_WARMUP must be a number, not \"$WARMUP\"" ;; esac
command -v lxc-execute >/dev/null || die "Debian's lxc is not installed (apt-get install lxc)"
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash 5 (EPOCHREALTIME)"

WORK=$(mktemp -d "${BENCH_DIR:-/var/tmp}/lxj-bench.XXXXXX") || die "cannot make a scratch directory"
LXJ_P=$WORK/lxj       # LXJ's lxcpath: b (the rootfs owner) and d1..dN (configs pointing at b's rootfs)
LXC_P=$WORK/lxc       # LXC's lxcpath: the same containers, configs only
CRUN_ROOT=$WORK/crun-state
CRUN_B=$WORK/crun     # bundles: true/ and sleep/, config.json each, root.path = the shared rootfs
ERRLOG=$WORK/errors.log
mkdir -p "$LXJ_P" "$LXC_P" "$CRUN_ROOT" "$CRUN_B"
# A daemon of our own on a socket of our own, so the bench neither uses nor disturbs another one.
export LXJ_CONTROL_SOCKET=/run/lxj/bench-$$.sock
DAEMON=no

CRUN=$(command -v crun || true)
CRUN_NOTE=""
CRUN_NS=$WORK/crun-ns  # a bind mount of itself holding a persistent mount namespace (hybrid hosts only)
CRUN_CMD=()            # how crun is run: set up in the preparation below
if [ -z "$CRUN" ]; then
    CRUN_NOTE="crun is not installed (apt-get install crun): the crun column is skipped"
fi

# ---- cleanup -------------------------------------------------------------------------------------------
cleanup() {
    set +e
    local n
    for n in $("$LXJ" lxc-ls --running -1 -P "$LXJ_P" 2>/dev/null); do
        "$LXJ" lxc-stop -n "$n" -P "$LXJ_P" -k >/dev/null 2>&1
    done
    for n in $(lxc-ls --running -1 -P "$LXC_P" 2>/dev/null); do
        lxc-stop -n "$n" -P "$LXC_P" -k >/dev/null 2>&1
    done
    if [ ${#CRUN_CMD[@]} -gt 0 ]; then
        for n in $("${CRUN_CMD[@]}" list -q 2>/dev/null); do
            "${CRUN_CMD[@]}" delete -f "$n" >/dev/null 2>&1
        done
    fi
    if [ -e "$CRUN_NS/mnt" ]; then
        umount "$CRUN_NS/mnt" 2>/dev/null
        umount "$CRUN_NS" 2>/dev/null
    fi
    # configs only: never lxc-destroy them, their rootfs is b's
    for n in s $(seq 1 "$DENSITY" | sed 's/^/d/'); do rm -rf "${LXJ_P:?}/$n" "${LXC_P:?}/$n"; done
    rm -rf "${LXC_P:?}/b"
    # b's destroy in a runtime of its own: its start-up sweep drops the run files (lock files under /run/lxj/locks)
    # of the configs just removed, and the destroy those of b and, the lxcpath now empty, its event journal
    [ -d "$LXJ_P/b" ] && LXJ_NO_DAEMON=1 "$LXJ" lxc-destroy -n b -P "$LXJ_P" -f >/dev/null 2>&1
    [ "$DAEMON" = yes ] && "$LXJ" shutdown >/dev/null 2>&1
    # LXC keeps /run/lxc/lock/<lxcpath>/.<name> even after lxc-destroy: the bench's own go with it
    remove_scratch start-latency && rm -rf "/run/lxc/lock${WORK:?}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- helpers -------------------------------------------------------------------------------------------
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"   # us, timed, ratio, remove_scratch

# median FILE: the median of the numbers in FILE (µs), printed in ms with one decimal.
median() {
    sort -n "$1" | awk '{v[NR] = $1} END {
        if (NR == 0) { print "-"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.1f", m / 1000 }'
}

# median_kb FILE: the median of numbers (kB) in FILE.
median_kb() {
    sort -n "$1" | awk '{v[NR] = $1} END {
        if (NR == 0) { print "-"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%d", m }'
}


ppid_of() { awk '{ sub(/.*\) /, ""); split($0, f, " "); print f[2] }' "/proc/$1/stat"; }

smaps() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/smaps_rollup"; }


# ---- preparation ---------------------------------------------------------------------------------------
echo "Preparing one busybox rootfs in $WORK …" >&2
LXJ_NO_DAEMON=1 "$LXJ" lxc-create -n b -t busybox -P "$LXJ_P" >/dev/null 2>"$ERRLOG" ||
    { cat "$ERRLOG" >&2; die "lxc-create -t busybox failed"; }
ROOTFS=$LXJ_P/b/rootfs
[ -x "$ROOTFS/bin/true" ] || die "no /bin/true in $ROOTFS"

# The busybox config LXJ's template wrote, for every container of both runtimes, on the shared rootfs and
# with an empty network (loopback only) so neither runtime touches the host's network.
write_config() { # DIR NAME
    mkdir -p "$1"
    grep -v -e '^lxc.rootfs.path' -e '^lxc.uts.name' -e '^lxc.net' "$LXJ_P/b/config" >"$1/config"
    printf 'lxc.rootfs.path = dir:%s\nlxc.uts.name = %s\nlxc.net.0.type = empty\n' "$ROOTFS" "$2" >>"$1/config"
}
grep -q '^lxc.net' "$LXJ_P/b/config" || echo "lxc.net.0.type = empty" >>"$LXJ_P/b/config"
write_config "$LXC_P/b" b
for n in s $(seq 1 "$DENSITY" | sed 's/^/d/'); do
    write_config "$LXJ_P/$n" "$n"
    write_config "$LXC_P/$n" "$n"
done

if [ -n "$CRUN" ]; then
    # crun 1.8 refuses hybrid hosts ("cgroups in hybrid mode not supported") when the cgroup2 mount at
    # /sys/fs/cgroup/unified has controllers. It then runs in a mount namespace of its own where that mount
    # is hidden, with its cgroup manager disabled (LXJ creates no cgroups either; LXC does): nsenter adds
    # about a millisecond to each crun command.
    CRUN_CMD=("$CRUN" --root "$CRUN_ROOT")
    if [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = tmpfs ] && grep -q . /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null; then
        mkdir -p "$CRUN_NS" && touch "$CRUN_NS/mnt" && mount --bind "$CRUN_NS" "$CRUN_NS" &&
            mount --make-private "$CRUN_NS" && touch "$CRUN_NS/mnt" &&
            unshare --mount="$CRUN_NS/mnt" --propagation private \
                mount -t tmpfs -o ro,size=4k lxj-bench-hide-cgroup2 /sys/fs/cgroup/unified ||
            die "cannot prepare crun's mount namespace for this hybrid cgroup host"
        CRUN_CMD=(nsenter --mount="$CRUN_NS/mnt" "$CRUN" --cgroup-manager=disabled --root "$CRUN_ROOT")
        CRUN_NOTE="crun: hybrid cgroup host, so crun runs with --cgroup-manager=disabled through nsenter into a mount namespace that hides /sys/fs/cgroup/unified"
    fi
    for kind in true sleep; do
        mkdir -p "$CRUN_B/$kind"
        (cd "$CRUN_B/$kind" && "$CRUN" spec) || die "crun spec failed"
        python3 - "$CRUN_B/$kind/config.json" "$ROOTFS" "$kind" <<'EOF' || die "cannot write crun's config.json"
import json, sys
path, rootfs, kind = sys.argv[1:]
c = json.load(open(path))
c["root"] = {"path": rootfs, "readonly": False}
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/true"] if kind == "true" else ["/bin/sleep", "1000"]
c["hostname"] = "b"
# the namespaces LXJ and LXC use by default: crun's default set plus cgroup
c["linux"]["namespaces"].append({"type": "cgroup"})
# no cgroup mount and no resources: the bench compares launching, and LXJ has no cgroup backend yet
c["mounts"] = [m for m in c["mounts"] if m["destination"] != "/sys/fs/cgroup"]
c["linux"].pop("resources", None)
json.dump(c, open(path, "w"), indent=1)
EOF
    done
fi

# One-command mode or the daemon: the figure the issue asks for is with a daemon up.
MODE="one-command mode (a runtime JVM boots per command)"
if grep -q 'daemon' "$DIST/bin/lxj" 2>/dev/null && [ -x "$DIST/libexec/lxj-launcher" ]; then
    if "$LXJ" daemon >>"$ERRLOG" 2>&1; then
        DAEMON=yes
        MODE="daemon up (./lxj daemon on $LXJ_CONTROL_SOCKET; the native client forwards each command)"
    else
        MODE="one-command mode: ./lxj daemon failed to start (see below)"
        tail -n 5 "$ERRLOG" >&2
    fi
else
    MODE="one-command mode: this build has no ./lxj daemon"
fi
echo "LXJ: $MODE" >&2

# Warm-up, not counted: WARMUP rounds of each, interleaved (page cache, LXC's cgroup setup, and the JIT of a
# daemon: its C1 compiles a method after 10 calls, and a start runs most of its code once, so a daemon that
# has started fewer than about 20 containers still interprets part of the path; a daemon in service has not).
for i in $(seq 1 "$WARMUP"); do
    timed warm "$LXJ" lxc-execute -n b -P "$LXJ_P" -- /bin/true
    timed warm lxc-execute -n b -P "$LXC_P" -- /bin/true
    [ -n "$CRUN" ] && timed warm "${CRUN_CMD[@]}" run -b "$CRUN_B/true" warm
done

# ---- 1 and 2: execute /bin/true, and a detached start→stop cycle, interleaved ---------------------------
echo "Timing $N interleaved rounds …" >&2
for i in $(seq 1 "$N"); do
    timed lxj.exec "$LXJ" lxc-execute -n b -P "$LXJ_P" -- /bin/true
    timed lxc.exec lxc-execute -n b -P "$LXC_P" -- /bin/true
    [ -n "$CRUN" ] && timed crun.exec "${CRUN_CMD[@]}" run -b "$CRUN_B/true" "t$i"
    [ -n "$QUICK" ] && continue

    timed lxj.cycle sh -c '"$0" lxc-start -n s -P "$1" -- /bin/sleep 1000 && "$0" lxc-stop -n s -P "$1" -k' "$LXJ" "$LXJ_P"
    timed lxc.cycle sh -c 'lxc-start -n s -P "$0" -- /bin/sleep 1000 && lxc-stop -n s -P "$0" -k' "$LXC_P"
    [ -n "$CRUN" ] && timed crun.cycle sh -c 'b=$1 id=$2; shift 2; "$@" run -d -b "$b" "$id" && "$@" delete -f "$id"' \
        sh "$CRUN_B/sleep" "s$i" "${CRUN_CMD[@]}"
done

# ---- 3 and 4: DENSITY sequential detached starts, then the monitors' memory ------------------------------
[ -z "$QUICK" ] && echo "Starting $DENSITY containers per runtime …" >&2
density() { # RUNTIME: starts DENSITY containers one after another, then reads their monitors' memory
    local rt=$1 n t0 name pid
    t0=$(us)
    for n in $(seq 1 "$DENSITY" | sed 's/^/d/'); do
        case $rt in
            lxj) timed lxj.dstart "$LXJ" lxc-start -n "$n" -P "$LXJ_P" -- /bin/sleep 1000 ;;
            lxc) timed lxc.dstart lxc-start -n "$n" -P "$LXC_P" -- /bin/sleep 1000 ;;
            crun) timed crun.dstart "${CRUN_CMD[@]}" run -d -b "$CRUN_B/sleep" "$n" ;;
        esac
    done
    echo $(($(us) - t0)) >"$WORK/$rt.dtotal"
    [ "$rt" = crun ] && return 0 # crun leaves no monitor behind a detached container
    case $rt in
        lxj) "$LXJ" lxc-ls -f -F NAME,PID -P "$LXJ_P" ;;
        lxc) lxc-ls -f -F NAME,PID -P "$LXC_P" ;;
    esac 2>>"$ERRLOG" | awk '$1 ~ /^d[0-9]+$/ { print $1, $2 }' >"$WORK/$rt.pids"
    [ "$(wc -l <"$WORK/$rt.pids")" -eq "$DENSITY" ] || die "$rt: lxc-ls does not list $DENSITY running containers"
    while read -r name pid; do
        [ "$pid" -gt 0 ] 2>/dev/null || die "$rt: $name has no PID"
        mon=$(ppid_of "$pid") # the monitor is init's parent, in both runtimes
        smaps "$mon" Rss >>"$WORK/$rt.rss"
        smaps "$mon" Pss >>"$WORK/$rt.pss"
    done <"$WORK/$rt.pids"
}
stop_all() { # RUNTIME
    local n
    for n in $(seq 1 "$DENSITY" | sed 's/^/d/'); do
        case $1 in
            lxj) "$LXJ" lxc-stop -n "$n" -P "$LXJ_P" -k >/dev/null 2>>"$ERRLOG" ;;
            lxc) lxc-stop -n "$n" -P "$LXC_P" -k >/dev/null 2>>"$ERRLOG" ;;
            crun) "${CRUN_CMD[@]}" delete -f "$n" >/dev/null 2>>"$ERRLOG" ;;
        esac
    done
}
for rt in lxj lxc ${CRUN:+crun}; do
    [ -n "$QUICK" ] && break
    density "$rt"
    stop_all "$rt"
done

# ---- report --------------------------------------------------------------------------------------------
row() { # LABEL LXJ LXC CRUN
    printf '%-44s %10s %10s %10s %12s %12s\n' "$1" "$2" "$3" "$4" "$(ratio "$2" "$3")" "$(ratio "$2" "$4")"
}
m() { [ -s "$WORK/$1" ] && median "$WORK/$1" || echo "-"; }
mk() { [ -s "$WORK/$1" ] && median_kb "$WORK/$1" || echo "-"; }
total() { [ -s "$WORK/$1" ] && awk '{ printf "%.1f", $1 / 1000 }' "$WORK/$1" || echo "-"; }

echo
echo "LXJ start latency, $N interleaved rounds after $WARMUP untimed ones, medians ($(uname -r), $(nproc) CPUs)"
echo "LXJ: $MODE"
[ -n "$CRUN_NOTE" ] && echo "$CRUN_NOTE"
echo "LXC $(lxc-execute --version)${CRUN:+, $("$CRUN" --version | head -n 1)}; rootfs: busybox from LXJ's template, empty network"
echo
printf '%-44s %10s %10s %10s %12s %12s\n' "" "LXJ" "LXC" "crun" "LXJ/LXC" "LXJ/crun"
row "execute /bin/true, start to exit (ms)" "$(m lxj.exec)" "$(m lxc.exec)" "$(m crun.exec)"
[ -n "$QUICK" ] && exit 0
row "detached start + kill of sleep (ms)" "$(m lxj.cycle)" "$(m lxc.cycle)" "$(m crun.cycle)"
row "$DENSITY sequential detached starts: each (ms)" "$(m lxj.dstart)" "$(m lxc.dstart)" "$(m crun.dstart)"
row "$DENSITY sequential detached starts: all (ms)" "$(total lxj.dtotal)" "$(total lxc.dtotal)" "$(total crun.dtotal)"
row "monitor RSS per container (kB)" "$(mk lxj.rss)" "$(mk lxc.rss)" "-"
row "monitor PSS per container (kB)" "$(mk lxj.pss)" "$(mk lxc.pss)" "-"
echo
echo "crun keeps no monitor process for a detached container, so it has no monitor figures."
