#!/bin/bash
# What seccomp adds to a start in the kernel: the time to install each filter a start loads (see README.md).
# Usage: bench/seccomp-install.sh [ROUNDS]   (default 500; no root; needs gcc, libseccomp2 and the JMH jar)
set -euo pipefail
rounds=${1:-500}
here=$(cd "$(dirname "$0")" && pwd)
jar=$here/jmh/target/benchmarks.jar
[ -f "$jar" ] || { echo "build $jar first: mvn -q -f bench/jmh/pom.xml package" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/lxj-seccomp-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
gcc -O2 -Wall -o "$work/seccomp-install" "$here/seccomp-install.c"
java -cp "$jar" org.lxj.security.seccomp.internal.SeccompFilterDump "$work" 2>/dev/null >/dev/null
cd "$work"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for f in allow.bpf common.bpf docker-default.bpf; do
    [ -f "$f" ] && ./seccomp-install "$f" "$rounds"
done
