#!/usr/bin/env bash
# Proves that the api/spi baseline check fails a build on an incompatible change without a major bump
# (docs/vendor.md, section 5). Needs the spi jar installed (mvn install of bundles/spi) as the baseline.
#   1. a copy of bundles/spi where StorageBackend.owns takes a Path instead of a String (every backend
#      breaks), package org.lxj.spi.storage still at its version: the build must FAIL, naming the package
#      and MAJOR;
#   2. the unchanged copy plus one *abstract* method added to StorageBackend (a @ConsumerType: every backend
#      breaks): the build must FAIL on MAJOR as well, naming the added method;
#   3. that change with the package bumped to the next major version: the build must pass.
# The fixture: bnd baselines only against releases, so the unchanged copy is built first and its jar
# published as release 0.0.9 in a file repository in a temporary directory; the changed copy builds as
# 0.1.1-SNAPSHOT with that repository. Nothing is installed; the fixture's copy in ~/.m2 and the
# temporary directory are removed.
# Exit status: 0 proved, 1 not proved (a failure), 3 cannot run here (no mvn, or Maven cannot reach the
# repositories it needs: offline); a line "baseline-check: SKIPPED: REASON" says why. itests' BaselineCheckIT
# runs this script as part of the suite and skips with that reason on status 3.
set -euo pipefail
skip() { echo "baseline-check: SKIPPED: $*" >&2; exit 3; }
command -v mvn >/dev/null 2>&1 || skip "mvn is not on PATH"
[ "${LXJ_OFFLINE:-}" != 1 ] || skip "LXJ_OFFLINE=1: Maven reads no repository offline, not even the fixture's file:// one"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
WORK=$(mktemp -d /tmp/lxj-baseline-XXXXXX)
M2=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
trap 'rm -rf "$WORK" "$M2/org/lxj/spi/0.0.9"; rm -f "$M2/org/lxj/spi/maven-metadata-lxj-baseline-fixture.xml" "$M2/org/lxj/spi/resolver-status.properties"' EXIT
cp -r "$ROOT/bundles/spi" "$WORK/spi"
rm -rf "$WORK/spi/target" "$WORK/spi/src/test"   # the tests implement StorageBackend; the check is about main
cd "$WORK/spi"
python3 - "$ROOT" "$WORK" <<'PY'
import re, sys
root = sys.argv[1]
p = 'pom.xml'
s = open(p).read()
s = s.replace('<version>0.1.0-SNAPSHOT</version></parent>',
              '<version>0.1.0-SNAPSHOT</version><relativePath>%s/bundles/pom.xml</relativePath></parent>\n'
              '  <version>0.1.1-SNAPSHOT</version>' % root)
s = s.replace('<configuration><failOnMissing>false</failOnMissing></configuration>',
              '<configuration><failOnMissing>true</failOnMissing>'
              '<base><version>0.0.9</version></base></configuration>')
s = s.replace('</dependencies>', '</dependencies>\n  <repositories><repository><id>lxj-baseline-fixture</id>'
              '<url>file://%s/repo</url></repository></repositories>' % sys.argv[2], 1)
s = s.replace('<artifactId>api</artifactId></dependency>',
              '<artifactId>api</artifactId><version>0.1.0-SNAPSHOT</version></dependency>')
open(p, 'w').write(s)
PY

# not offline: Maven does not read even a file:// repository offline
build() { mvn -B -Dstyle.color=never -Dmaven.test.skip=true "$@" verify >"$WORK/build.log" 2>&1; }

# the fixture: the unchanged copy, as release 0.0.9
# Maven's words for a repository it cannot reach (offline, no network, no DNS)
UNREACHABLE='Could not transfer|Could not resolve dependencies|Cannot access .* in offline mode|UnknownHostException|Network is unreachable|Connection refused|Connect timed out'
if ! build -Dbnd.baseline.skip=true; then
    if grep -Eq "$UNREACHABLE" "$WORK/build.log"; then
        skip "Maven cannot reach a repository it needs: $(grep -Em1 "$UNREACHABLE" "$WORK/build.log" | cut -c1-200)"
    fi
    echo "baseline-check: the unchanged copy does not build:" >&2
    tail -n 30 "$WORK/build.log" >&2
    exit 1
fi
FIX="$WORK/repo/org/lxj/spi"
mkdir -p "$FIX/0.0.9"
cp target/spi-0.1.1-SNAPSHOT.jar "$FIX/0.0.9/spi-0.0.9.jar"
cat >"$FIX/0.0.9/spi-0.0.9.pom" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>org.lxj</groupId><artifactId>spi</artifactId><version>0.0.9</version></project>
POM
cat >"$FIX/maven-metadata.xml" <<'META'
<metadata><groupId>org.lxj</groupId><artifactId>spi</artifactId>
  <versioning><release>0.0.9</release><versions><version>0.0.9</version></versions></versioning></metadata>
META

SB=src/main/java/org/lxj/spi/storage/StorageBackend.java
cp "$SB" "$WORK/StorageBackend.java.orig"

# the incompatible change
sed -i 's/    boolean owns(String rootfsPath);/    boolean owns(java.nio.file.Path rootfsPath);/' src/main/java/org/lxj/spi/storage/StorageBackend.java
grep -q 'boolean owns(java.nio.file.Path rootfsPath);' src/main/java/org/lxj/spi/storage/StorageBackend.java

if build; then
    echo "baseline-check: FAILED: owns(String) changed to owns(Path) without a major bump was accepted" >&2
    exit 1
fi
if ! grep -Eq '^\[ERROR\] \* org\.lxj\.spi\.storage +PACKAGE +MAJOR' "$WORK/build.log"; then
    echo "baseline-check: FAILED: the build failed, but not on the baseline; the end of its log:" >&2
    tail -n 30 "$WORK/build.log" >&2
    exit 1
fi
echo "baseline-check: StorageBackend.owns(String) changed to owns(Path) without a major bump fails the build:"
grep -E -A4 '^\[ERROR\] \* org\.lxj\.spi\.storage' "$WORK/build.log"

# an abstract method added to a @ConsumerType interface is just as incompatible
cp "$WORK/StorageBackend.java.orig" "$SB"
sed -i 's/    boolean owns(String rootfsPath);/    boolean owns(String rootfsPath);\n\n    boolean baselineProbe(String rootfsPath);/' "$SB"
grep -q 'boolean baselineProbe(String rootfsPath);' "$SB"
if build; then
    echo "baseline-check: FAILED: an abstract method added to StorageBackend without a major bump was accepted" >&2
    exit 1
fi
if ! grep -Eq '^\[ERROR\] \* org\.lxj\.spi\.storage +PACKAGE +MAJOR' "$WORK/build.log" \
        || ! grep -Eq '^\[ERROR\] +ADDED +METHOD +baselineProbe\(java\.lang\.String\)' "$WORK/build.log"; then
    echo "baseline-check: FAILED: the abstract method's build failed, but not on the baseline as MAJOR; the end of its log:" >&2
    tail -n 30 "$WORK/build.log" >&2
    exit 1
fi
echo "baseline-check: an abstract method added to StorageBackend (@ConsumerType) without a major bump fails the build:"
grep -E -A6 '^\[ERROR\] \* org\.lxj\.spi\.storage' "$WORK/build.log"

sed -i 's/@Version("[0-9.]*")/@Version("2.0.0")/' src/main/java/org/lxj/spi/storage/package-info.java
if ! build; then
    echo "baseline-check: FAILED: the abstract method with org.lxj.spi.storage at 2.0.0 did not build; the end of its log:" >&2
    tail -n 30 "$WORK/build.log" >&2
    exit 1
fi
echo "baseline-check: with org.lxj.spi.storage bumped to 2.0.0 it builds"
echo "baseline-check: OK"
