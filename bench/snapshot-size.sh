#!/usr/bin/env bash
# Snapshot time against rootfs size, per storage backend, LXJ next to Debian's LXC on the same data.
#   bench/snapshot-size.sh [N] [SIZES]   N timed runs per case (default 3; medians printed), SIZES in MB
#                                        (default "10 100 1024"); run as root from anywhere
# Environment: LXJ (default: the built distribution's bin/lxj), BENCH_DIR (scratch parent, default /var/tmp),
# BENCH_BACKENDS (default "dir overlay btrfs loop").
# Backends: dir (LXJ: a copy through TreeCopy; LXC: rsync), overlay (an lxc-copy -s clone of a dir container
# holding the data in its lower layer), btrfs (a filesystem on a loop device this script makes), loop (an ext4
# image). Every rootfs is a busybox container plus the payload: (SIZE - 2) files of 1 MB of random data and
# 2,000 small files. Prints medians only. Everything it makes (mounts, loop devices, files, a daemon of its
# own) is removed on exit, also on failure or Ctrl-C.
set -u

N=${1:-3}
SIZES=${2:-"10 100 1024"}
BACKENDS=${BENCH_BACKENDS:-"dir overlay btrfs loop"}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
LXJ=${LXJ:-$ROOT/runtime-dist/target/lxj/bin/lxj}
SMALL_FILES=2000

die() { echo "snapshot-size: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (loop devices, mounts, containers)"
case $N in '' | *[!0-9]* | 0) die "N must be a positive number, not \"$N\"" ;; esac
[ -x "$LXJ" ] || die "no LXJ at $LXJ (build the distribution: mvn -pl runtime-dist install, or set LXJ)"
command -v lxc-snapshot >/dev/null || die "Debian's lxc is not installed (apt-get install lxc)"
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash 5 (EPOCHREALTIME)"
for b in $BACKENDS; do
    case $b in
        dir | overlay | loop) ;;
        btrfs) command -v mkfs.btrfs >/dev/null || die "mkfs.btrfs is missing (apt-get install btrfs-progs)" ;;
        *) die "unknown backend \"$b\" (dir overlay btrfs loop)" ;;
    esac
done

WORK=$(mktemp -d "${BENCH_DIR:-/var/tmp}/lxj-snapbench.XXXXXX") || die "cannot make a scratch directory"
ERRLOG=$WORK/errors.log
BTRFS_DEV=""
# A daemon of our own on a socket of our own: commands reach it through the native client in milliseconds,
# so the figures are the snapshot, not a JVM boot; and no other daemon is used or disturbed.
export LXJ_CONTROL_SOCKET=/run/lxj/snapbench-$$.sock
DAEMON=no

cleanup() {
    set +e
    [ "$DAEMON" = yes ] && "$LXJ" shutdown >/dev/null 2>&1
    # mounts below the scratch directory, deepest first (lazily: a busy one still goes)
    awk -v w="$WORK" '$2 == w || index($2, w "/") == 1 { print $2 }' /proc/self/mounts | sort -r |
        while read -r m; do umount -l "$m"; done
    # loop devices of images in the scratch directory (autoclear ones went with their mounts)
    losetup -l -n -O NAME,BACK-FILE 2>/dev/null | awk -v w="$WORK" 'index($2, w "/") == 1 { print $1 }' |
        while read -r d; do losetup -d "$d"; done
    [ -n "$BTRFS_DEV" ] && losetup -d "$BTRFS_DEV" 2>/dev/null
    rm -rf "$WORK"
    # LXC keeps /run/lxc/lock/<lxcpath>/.<name> even after lxc-destroy: the bench's own go with it (LXJ's
    # snapshots start nothing, so they leave no lock file or event journal under /run/lxj)
    rm -rf "/run/lxc/lock${WORK:?}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

run() { "$@" >>"$ERRLOG" 2>&1 || { echo "failed: $*" >>"$ERRLOG"; return 1; }; }
ms() { printf '%s' "$EPOCHREALTIME" | tr -d . | cut -c1-13; }   # milliseconds since the epoch

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
    else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# ---- data ----------------------------------------------------------------------------------------------
payload() { # SIZE_MB -> a directory with (SIZE - 2) files of 1 MB and SMALL_FILES small files
    local size=$1 dir=$WORK/payload-$1 i
    mkdir -p "$dir/big" "$dir/small"
    for ((i = 0; i < size - 2; i++)); do head -c 1048576 /dev/urandom >"$dir/big/f$i"; done
    for ((i = 0; i < SMALL_FILES; i++)); do
        [ $((i % 100)) -eq 0 ] && mkdir -p "$dir/small/d$((i / 100))"
        head -c $((512 + i % 1024)) /dev/urandom >"$dir/small/d$((i / 100))/s$i"
    done
    echo "$dir"
}

fill_dir() { cp -a "$2/." "$1/"; }

fill_image() { # IMAGE PAYLOAD: mount the ext4 image on a scratch mount point and copy the payload in
    local m=$WORK/fill
    mkdir -p "$m" && mount -o loop "$1" "$m" && cp -a "$2/." "$m/" && umount "$m"
}

rootdev_of() { sed -n 's/^lxc.rootfs.path *= *loop://p' "$1/config"; }

# ---- containers ----------------------------------------------------------------------------------------
# make RUNTIME BACKEND SIZE PAYLOAD LXCPATH -> prints the name of the container to snapshot
make_container() {
    local rt=$1 b=$2 size=$3 data=$4 p=$5 name=c$3 conf fssize
    conf=$WORK/net.conf
    printf 'lxc.net.0.type = empty\n' >"$conf"
    fssize=$((size * 13 / 10 + 300))M
    local -a tool
    if [ "$rt" = lxj ]; then tool=("$LXJ"); else tool=(); fi
    mkdir -p "$p"
    case $b in
        dir | overlay)
            run "${tool[@]}" lxc-create -n "base$size" -P "$p" -t busybox -f "$conf" -B dir || return 1
            fill_dir "$p/base$size/rootfs" "$data" || return 1
            if [ "$b" = overlay ]; then
                run "${tool[@]}" lxc-copy -n "base$size" -P "$p" -N "$name" -s || return 1
            else
                name=base$size
            fi
            ;;
        btrfs)
            run "${tool[@]}" lxc-create -n "$name" -P "$p" -t busybox -f "$conf" -B btrfs || return 1
            fill_dir "$p/$name/rootfs" "$data" || return 1
            ;;
        loop)
            run "${tool[@]}" lxc-create -n "$name" -P "$p" -t busybox -f "$conf" -B loop --fssize "$fssize" ||
                return 1
            fill_image "$(rootdev_of "$p/$name")" "$data" || return 1
            ;;
    esac
    sync
    echo "$name"
}

# time_snapshot RUNTIME LXCPATH NAME -> ms of one snapshot (then removed, untimed)
time_snapshot() {
    local rt=$1 p=$2 n=$3 t0 t1
    local -a tool
    if [ "$rt" = lxj ]; then tool=("$LXJ"); else tool=(); fi
    t0=$(ms)
    run "${tool[@]}" lxc-snapshot -n "$n" -P "$p" || { echo fail; return; }
    t1=$(ms)
    echo $((t1 - t0))
    run "${tool[@]}" lxc-snapshot -n "$n" -P "$p" -d snap0
    sync
}

# ---- preparation ---------------------------------------------------------------------------------------
if run "$LXJ" daemon; then
    DAEMON=yes
    MODE="LXJ through its daemon (native client, $LXJ_CONTROL_SOCKET)"
else
    MODE="LXJ in one-command mode (the daemon failed to start; each command boots a JVM)"
fi

BTRFS_MNT=$WORK/btrfs
if [[ " $BACKENDS " == *" btrfs "* ]]; then
    max=0
    for s in $SIZES; do [ "$s" -gt "$max" ] && max=$s; done
    truncate -s $((max * 4 + 2048))M "$WORK/btrfs.img"
    BTRFS_DEV=$(losetup -f --show "$WORK/btrfs.img") || die "cannot attach a loop device for btrfs"
    run mkfs.btrfs -q "$BTRFS_DEV" || die "mkfs.btrfs failed (see $ERRLOG)"
    mkdir -p "$BTRFS_MNT" && mount "$BTRFS_DEV" "$BTRFS_MNT" || die "cannot mount btrfs"
fi

lxcpath_of() { # RUNTIME BACKEND
    if [ "$2" = btrfs ]; then echo "$BTRFS_MNT/$1"; else echo "$WORK/$1-$2"; fi
}

echo "snapshot-size: $N runs per case, medians in ms; $MODE"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r), lxcpaths on $(df --output=fstype "$WORK" | tail -1 | tr -d ' ')"
printf '%-8s %8s %10s %10s %8s\n' backend size LXJ LXC LXJ/LXC
for size in $SIZES; do
    data=$(payload "$size")
    for b in $BACKENDS; do
        lj=$(lxcpath_of lxj "$b")
        lc=$(lxcpath_of lxc "$b")
        nj=$(make_container lxj "$b" "$size" "$data" "$lj") || { printf '%-8s %7sM  LXJ setup failed (%s)\n' "$b" "$size" "$ERRLOG"; continue; }
        nc=$(make_container lxc "$b" "$size" "$data" "$lc") || { printf '%-8s %7sM  LXC setup failed (%s)\n' "$b" "$size" "$ERRLOG"; continue; }
        tj=() tc=()
        for ((r = 0; r < N; r++)); do  # interleaved, so drift of the machine hits both alike
            tj+=("$(time_snapshot lxj "$lj" "$nj")")
            tc+=("$(time_snapshot lxc "$lc" "$nc")")
        done
        mj=$(printf '%s\n' "${tj[@]}" | grep -v fail | median)
        mc=$(printf '%s\n' "${tc[@]}" | grep -v fail | median)
        ratio=$(awk -v a="$mj" -v c="$mc" 'BEGIN { if (a == "-" || c == "-" || c == 0) print "-"; else printf "%.2f", a / c }')
        printf '%-8s %7sM %10s %10s %8s\n' "$b" "$size" "$mj" "$mc" "$ratio"
        echo "$b ${size}M LXJ runs: ${tj[*]}; LXC runs: ${tc[*]}" >>"$WORK/runs.txt"
        # free the space before the next case: the containers of both runtimes go
        for n in $nj base$size; do
            [ -d "$lj/$n" ] && run "$LXJ" lxc-destroy -n "$n" -P "$lj" -s
        done
        for n in $nc base$size; do
            [ -d "$lc/$n" ] && run lxc-destroy -n "$n" -P "$lc" -s
        done
    done
    rm -rf "$data"
done
echo "single runs:"
sed 's/^/  /' "$WORK/runs.txt"
if grep -q . "$ERRLOG" 2>/dev/null && grep -q '^failed:' "$ERRLOG"; then
    echo "failures (from $ERRLOG):"
    grep -B3 '^failed:' "$ERRLOG" | sed 's/^/  /' | tail -30
fi
