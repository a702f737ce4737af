# bench/lib.sh: what the bench scripts share; sourced. timed needs WORK, ERRLOG and die from the script.

# us: the wall clock in microseconds. Read it as t=${EPOCHREALTIME/./} where a command is timed: $(us) forks a
# subshell, and that fork would be timed with the command.
us() { local t=${EPOCHREALTIME/./}; echo "${t#0}"; }

# timed LABEL CMD...: appends the command's wall time (µs) to $WORK/LABEL; a failure stops the bench.
timed() {
    local label=$1 t0 t1 rc
    shift
    t0=${EPOCHREALTIME/./}
    "$@" >/dev/null 2>>"$ERRLOG" </dev/null
    rc=$?
    t1=${EPOCHREALTIME/./}
    [ "$rc" -eq 0 ] || { tail -n 20 "$ERRLOG" >&2; die "$label: \"$*\" exited with $rc"; }
    echo $((t1 - t0)) >>"$WORK/$label"
}

# ratio A B: A / B with two decimals; "-" when either is missing or B is 0.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }

# remove_scratch NAME: removes $WORK, unless a mount is left under it: that is reported (as NAME) and $WORK kept,
# so that nothing mounted is deleted through it; returns 1 then.
remove_scratch() {
    if grep -q " $WORK/" /proc/self/mountinfo; then
        echo "$1: mounts are left under $WORK:" >&2
        grep " $WORK/" /proc/self/mountinfo >&2
        return 1
    fi
    rm -rf "$WORK"
}
