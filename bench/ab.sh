#!/usr/bin/env bash
# Two builds of LXJ side by side: `lxc-execute -- /bin/true` through a daemon of each, interleaved.
#   bench/ab.sh DIST_A DIST_B [N]   DIST_* = a built distribution (runtime-dist/target/lxj, or a copy of one);
#                                   N rounds of A then B (default 100); run as root
# Environment: BENCH_DIR (scratch parent, default /var/tmp), BENCH_WARMUP (untimed rounds of each first, default
# 40), BENCH_DENSITY (more container configs in the lxcpath, as start-latency.sh makes, default 50).
# A change worth less than a millisecond drowns in the drift of a 2-CPU machine between two separate runs of
# start-latency.sh; here both daemons run at once and alternate, so drift hits both alike. Prints medians and
# quartiles of each, and the difference B - A. Everything it makes is removed on exit.
set -u

[ $# -ge 2 ] || { echo "usage: bench/ab.sh DIST_A DIST_B [N]" >&2; exit 2; }
A=$(cd "$1" 2>/dev/null && pwd -P) || { echo "ab: no directory \"$1\"" >&2; exit 2; }
B=$(cd "$2" 2>/dev/null && pwd -P) || { echo "ab: no directory \"$2\"" >&2; exit 2; }
N=${3:-100}
WARMUP=${BENCH_WARMUP:-40}
DENSITY=${BENCH_DENSITY:-50}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)

die() { echo "ab: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (containers are started for real)"
case $N in '' | *[!0-9]* | 0) die "N must be a positive number, not \"$N\"" ;; esac
case $WARMUP in '' | *[!0-9]*) die "BENCH_WARMUP must be a number, not \"$WARMUP\"" ;; esac
case $DENSITY in '' | *[!0-9]*) die "BENCH_DENSITY must be a number, not \"$DENSITY\"" ;; esac
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash 5 (EPOCHREALTIME)"
for d in "$A" "$B"; do
    [ -x "$d/bin/lxj" ] && [ -x "$d/libexec/lxj-launcher" ] || die "\"$d\" is not a built distribution"
done

WORK=$(mktemp -d "${BENCH_DIR:-/var/tmp}/lxj-ab.XXXXXX") || die "cannot make a scratch directory"
P=$WORK/lxj
ERRLOG=$WORK/errors.log
mkdir -p "$P"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"   # timed, remove_scratch
STARTED=()

# the command line of dist $1 on its own daemon's socket
lxj() {
    local which=$1
    shift
    LXJ_CONTROL_SOCKET=/run/lxj/ab-$$-$which.sock "$(dist "$which")/bin/lxj" "$@"
}
dist() { if [ "$1" = A ]; then echo "$A"; else echo "$B"; fi; }

cleanup() {
    set +e
    local w
    for w in "${STARTED[@]}"; do lxj "$w" shutdown >/dev/null 2>&1; done
    for n in $(seq 1 "$DENSITY" | sed 's/^/d/'); do rm -rf "${P:?}/$n"; done
    # b's destroy in a runtime of its own drops its run files and, the lxcpath empty, its event journal
    [ -d "$P/b" ] && LXJ_NO_DAEMON=1 "$A/bin/lxj" lxc-destroy -n b -P "$P" -f >/dev/null 2>&1
    remove_scratch ab
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LXJ_NO_DAEMON=1 "$A/bin/lxj" lxc-create -n b -t busybox -P "$P" >/dev/null 2>"$ERRLOG" ||
    { cat "$ERRLOG" >&2; die "lxc-create of the busybox container failed"; }
grep -q '^lxc.net' "$P/b/config" || echo "lxc.net.0.type = empty" >>"$P/b/config"
for n in $(seq 1 "$DENSITY"); do
    mkdir -p "$P/d$n"
    sed "s/^lxc.uts.name.*/lxc.uts.name = d$n/" "$P/b/config" >"$P/d$n/config"
done
for w in A B; do
    lxj "$w" daemon >>"$ERRLOG" 2>&1 || { cat "$ERRLOG" >&2; die "the daemon of $(dist "$w") did not start"; }
    STARTED+=("$w")
done
for _ in $(seq "$WARMUP"); do
    for w in A B; do timed warm lxj "$w" lxc-execute -n b -P "$P" -- /bin/true; done
done
for _ in $(seq "$N"); do
    for w in A B; do
        timed "$w" lxj "$w" lxc-execute -n b -P "$P" -- /bin/true
        sleep 0.02
    done
done

# median p25 p75 of a file of µs, in ms
stats() { sort -n "$1" | awk '{a[NR] = $1} END {
    q = int(NR / 4); if (q < 1) q = 1
    printf "%.2f %.2f %.2f", a[int((NR + 1) / 2)] / 1000, a[q] / 1000, a[NR - q + 1] / 1000 }'; }
read -r ma qa1 qa3 <<<"$(stats "$WORK/A")"
read -r mb qb1 qb3 <<<"$(stats "$WORK/B")"
echo "lxc-execute -- /bin/true through a daemon, $N interleaved rounds after $WARMUP, ms (median, p25, p75)"
printf '  A %-60s %6s %6s %6s\n' "$A" "$ma" "$qa1" "$qa3"
printf '  B %-60s %6s %6s %6s\n' "$B" "$mb" "$qb1" "$qb3"
awk -v a="$ma" -v b="$mb" 'BEGIN { printf "  B - A: %+.2f ms (B/A %.2f)\n", b - a, b / a }'
