#!/usr/bin/env bash
# Builds the JMH kernel benchmarks (Maven profile jmh: src/jmh/java → target/jmh/yuefu.jar, apart from the normal
# jar) and runs them; arguments go to JMH (e.g. GemmBenchmark -p threads=1 -f 1). For sgemm it also prints
# GFLOP/s = 2·M·K·N · ops/s.
#   bench/jmh.sh                          # everything (about 10 minutes)
#   bench/jmh.sh GemmBenchmark -p trans=nt
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/bin/jdk.sh"
(cd "$root" && mvn -q -B -Pjmh -DskipTests package >&2)
out=$(mktemp)
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$root/target/jmh/yuefu.jar" org.openjdk.jmh.Main \
  -rf csv -rff "$out" "$@" 2> >(grep -v '^WARNING: Using incubator modules' >&2)
/usr/bin/python3 - "$out" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if "GemmBenchmark" not in r["Benchmark"]:
        continue
    m, k, n = map(int, r["Param: shape"].split("x"))
    g = 2 * m * k * n * float(r["Score"]) / 1e9
    print("sgemm %-15s %s threads %s: %.1f GFLOP/s" % (r["Param: shape"], r["Param: trans"], r["Param: threads"], g))
PY
rm -f "$out"
