#!/bin/bash
# Captures the golden outputs in this directory from Debian 12's LXC 5.0.2 tools (run as root):
#   capture.sh [DIR]    writes NAME.out, NAME.err and NAME.rc per case into DIR (default /tmp/shell-oracle-work/golden)
# The containers live in a scratch lxcpath that is removed at the end; GoldenTest rebuilds the same
# definitions in its fake runtime.
P=/tmp/shell-oracle
W=/tmp/shell-oracle-work
G=${1:-$W/golden}
rm -rf $P $G; mkdir -p $G $W
printf 'lxc.uts.name = c1host\nlxc.tty.max = 4\nlxc.start.auto = 1\nlxc.group = web,db\n' > $W/c1.conf
printf 'lxc.group = web\n' > $W/alpha.conf
printf 'lxc.group = db\nlxc.group = ops\nlxc.start.auto = 0\n' > $W/h7.conf
run() { local name=$1; shift; "$@" >$G/$name.out 2>$G/$name.err; echo $? > $G/$name.rc; }
run create-c1 lxc-create -P $P -n c1 -t none -f $W/c1.conf
run create-alpha lxc-create -P $P -n alpha -t none -f $W/alpha.conf
run create-h7 lxc-create -P $P -n h7 -t none -f $W/h7.conf
run create-c2 lxc-create -P $P -n c2 -t none
run create-exists lxc-create -P $P -n c1 -t none
run create-noname lxc-create -P $P -t none
run create-notemplate lxc-create -P $P -n z1
run ls-plain lxc-ls -P $P
run ls-1 lxc-ls -P $P -1
run ls-f lxc-ls -P $P -f
run ls-F lxc-ls -P $P -f -F NAME,STATE,PID,RAM,SWAP,AUTOSTART,GROUPS,INTERFACE,IPV4,IPV6,UNPRIVILEGED
run ls-F-lower lxc-ls -P $P -f -F name,state
run ls-F-nof lxc-ls -P $P -F NAME,STATE
run ls-F-bad lxc-ls -P $P -f -F NAME,BOGUS
run ls-f-1 lxc-ls -P $P -f -1
run ls-filter lxc-ls -P $P --filter ^c
run ls-filter-eq lxc-ls -P $P -1 --filter=1
run ls-posregex lxc-ls -P $P -1 'c.*'
run ls-two-positionals lxc-ls -P $P -1 c1 h7
run ls-badregex lxc-ls -P $P -1 'c['
run ls-g lxc-ls -P $P -1 -g web
run ls-g-all lxc-ls -P $P -1 -g web,db
run ls-g-ops lxc-ls -P $P -f -g ops
run ls-g-last lxc-ls -P $P -1 -g db -g web
run ls-active lxc-ls -P $P --active
run ls-running-f lxc-ls -P $P --running -f
run ls-stopped lxc-ls -P $P --stopped -1
run ls-defined lxc-ls -P $P --defined
run ls-empty lxc-ls -P /tmp/shell-oracle-none
run ls-empty-f lxc-ls -P /tmp/shell-oracle-none -f
run ls-bogus lxc-ls -P $P --bogus
run ls-x lxc-ls -P $P -x
run ls-filter-noarg lxc-ls -P $P --filter
for w in 20 30; do script -qc "stty cols $w; lxc-ls -P $P" /dev/null | tr -d '\r' > $G/ls-tty$w.out; echo 0 > $G/ls-tty$w.rc; : > $G/ls-tty$w.err; done
run info lxc-info -P $P -n c1
run info-pos lxc-info -P $P c1
run info-s lxc-info -P $P -n c1 -s
run info-p lxc-info -P $P -n c1 -p
run info-i lxc-info -P $P -n c1 -i
run info-S lxc-info -P $P -n c1 -S
run info-SH lxc-info -P $P -n c1 -S -H
run info-H lxc-info -P $P -n c1 -H
run info-sp lxc-info -P $P -n c1 -sp
run info-bundled-name lxc-info -P $P -snc1
run info-name-eq lxc-info -P $P --name=c1 --state
run info-c lxc-info -P $P -n c1 -c lxc.uts.name
run info-cc lxc-info -P $P -n c1 -c lxc.uts.name -c lxc.tty.max
run info-cH lxc-info -P $P -n c1 -c lxc.uts.name -H
run info-c-unset lxc-info -P $P -n c1 -c lxc.init.cmd
run info-c-unset-H lxc-info -P $P -n c1 -c lxc.init.cmd -H
run info-c-two-H lxc-info -P $P -n c1 -c lxc.init.cmd -c lxc.tty.max -H
run info-c-bad lxc-info -P $P -n c1 -c lxc.bogus
run info-c-group lxc-info -P $P -n h7 -c lxc.group
run info-c-group-H lxc-info -P $P -n h7 -c lxc.group -H
run info-cs lxc-info -P $P -n c1 -c lxc.uts.name -s
run info-missing lxc-info -P $P -n nope
run info-noname lxc-info -P $P
run info-x lxc-info -P $P -n c1 -x
run info-bogus lxc-info -P $P -n c1 --bogus
run info-missing-arg lxc-info -P $P -n
run info-long-missing-arg lxc-info -P $P --name
run info-long-noarg lxc-info -P $P -n c1 --state=1
run info-ambiguous lxc-info -P $P --s -n c1
run info-prefix lxc-info -P $P -n c1 --no-h
run info-help lxc-info --help
run info-h lxc-info -h
run info-version lxc-info --version
run destroy-missing lxc-destroy -P $P -n nope
run destroy-noname lxc-destroy -P $P
run destroy-h7 lxc-destroy -P $P -n h7
run destroy-pos lxc-destroy -P $P alpha
run destroy-f lxc-destroy -P $P -n c2 -f
run destroy-s lxc-destroy -P $P -n c1 -s
run config-l lxc-config -l
run config-lxcpath lxc-config lxc.lxcpath
run config-vg lxc-config lxc.bdev.lvm.vg
run config-use lxc-config lxc.cgroup.use
run config-bogus lxc-config lxc.bogus
run config-none lxc-config
run config-help lxc-config --help
run config-P lxc-config -P /tmp lxc.lxcpath
run config-dashdash lxc-config -- lxc.lxcpath
run update-noargs lxc-update-config
ls -A $P
rmdir $P
