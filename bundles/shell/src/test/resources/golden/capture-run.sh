#!/bin/bash
# Captures the goldens of the running-container commands (lxc-start, -stop, -execute, -attach, -wait) from
# Debian 12's LXC 5.0.2 tools (run as root):
#   capture-run.sh [DIR]    writes NAME.out, NAME.err and NAME.rc per case into DIR (default /tmp/shell-oracle2-work/golden)
# One busybox container "b1" in a scratch lxcpath, with no network (lxc.net.0.type = empty: it only sees lo)
# and udhcpc removed from its rcS; everything is destroyed at the end. The init's PID is replaced by as many 9s.
P=/tmp/shell-oracle2
W=/tmp/shell-oracle2-work
G=${1:-$W/golden}
rm -rf $P $G; mkdir -p $P $G $W
printf 'lxc.net.0.type = empty\nlxc.apparmor.profile = unconfined\n' > $W/b.conf
lxc-create -P $P -n b1 -t busybox -f $W/b.conf >/dev/null 2>&1 || exit 1
sed -i '/udhcpc/d' $P/b1/rootfs/etc/init.d/rcS
run() { local name=$1; shift; "$@" </dev/null >$G/$name.out 2>$G/$name.err; echo $? > $G/$name.rc; }
# stopped
run stop-stopped lxc-stop -P $P -n b1
run stop-missing lxc-stop -P $P -n nope
run stop-noname lxc-stop -P $P
run stop-kr lxc-stop -P $P -n b1 -k -r
run stop-knokill lxc-stop -P $P -n b1 -k --nokill
run stop-t-bad lxc-stop -P $P -n b1 -t abc
run stop-t-neg lxc-stop -P $P -n b1 -t -5
run attach-stopped lxc-attach -P $P -n b1 -- /bin/true
run attach-missing lxc-attach -P $P -n nope -- /bin/true
run wait-stopped lxc-wait -P $P -n b1 -s STOPPED
run wait-stopped-or lxc-wait -P $P -n b1 -s 'RUNNING|STOPPED'
run wait-timeout lxc-wait -P $P -n b1 -s RUNNING -t 1
run wait-badstate lxc-wait -P $P -n b1 -s BOGUS
run wait-nostate lxc-wait -P $P -n b1
run wait-missing lxc-wait -P $P -n nope -s RUNNING -t 0
run wait-noname lxc-wait -P $P -s RUNNING
run wait-t-bad lxc-wait -P $P -n b1 -s RUNNING -t abc
run execute-noname lxc-execute -P $P -- /bin/true
run execute-nocmd lxc-execute -P $P -n b1
run execute-0 lxc-execute -P $P -n b1 -- /bin/true
run execute-1 lxc-execute -P $P -n b1 -- /bin/false
run execute-42 lxc-execute -P $P -n b1 -- /bin/sh -c 'echo out; echo err >&2; exit 42'
run execute-missing lxc-execute -P $P -n nope -- /bin/true
run execute-u-bad lxc-execute -P $P -n b1 -u abc -- /bin/true
run execute-s-bad lxc-execute -P $P -n b1 -s lxc.bogus=1 -- /bin/true
run start-missing lxc-start -P $P -n nope
run start-noname lxc-start -P $P
run start-s-bad lxc-start -P $P -n b1 -s lxc.bogus=1
run start-s-noeq lxc-start -P $P -n b1 -s lxc.uts.name
run start-f-missing lxc-start -P $P -n b1 -f $W/nope.conf
run start-share-bad lxc-start -P $P -n b1 --share-net nope
# running
run start lxc-start -P $P -n b1
run start-running lxc-start -P $P -n b1
run wait-running lxc-wait -P $P -n b1 -s RUNNING -t 5
run wait-running-timeout lxc-wait -P $P -n b1 -s STOPPED -t 1
run execute-running lxc-execute -P $P -n b1 -- /bin/true
run attach-0 lxc-attach -P $P -n b1 -- /bin/true
run attach-1 lxc-attach -P $P -n b1 -- /bin/false
run attach-42 lxc-attach -P $P -n b1 -- /bin/sh -c 'echo out; echo err >&2; exit 42'
run attach-s-bad lxc-attach -P $P -n b1 -s BOGUS -- /bin/true
run attach-e-bad lxc-attach -P $P -n b1 -e BOGUS -- /bin/true
run attach-s-uts lxc-attach -P $P -n b1 -s 'UTSNAME|MOUNT' -- /bin/hostname
run attach-v lxc-attach -P $P -n b1 --clear-env -v FOO=bar -- /bin/sh -c 'echo $FOO'
run attach-v-noeq lxc-attach -P $P -n b1 -v FOO -- /bin/true
run attach-nocmd lxc-attach -P $P -n b1
pid=$(lxc-info -P $P -n b1 -pH)
run info-running lxc-info -P $P -n b1 -s -p
run ls-running lxc-ls -P $P -f -F NAME,STATE,PID
run ls-running-active lxc-ls -P $P --active -1
run ls-running-stopped lxc-ls -P $P --stopped -1
run stop-W lxc-stop -P $P -n b1 -W
lxc-wait -P $P -n b1 -s STOPPED -t 10
lxc-start -P $P -n b1
run stop lxc-stop -P $P -n b1 -t 10
run stop-again lxc-stop -P $P -n b1
lxc-start -P $P -n b1
run stop-k lxc-stop -P $P -n b1 -k
lxc-start -P $P -n b1 -- /bin/sleep 1000
run stop-t1 lxc-stop -P $P -n b1 -t 1
lxc-destroy -P $P -n b1 -f
sed -i "s/\b$pid\b/$(echo $pid | tr 0-8 9)/" $G/info-running.out $G/ls-running.out
ls -A $P
rmdir $P
