#!/usr/bin/env bash
# Load test of `yuefu serve` (issue 7): 200 concurrent requests (throughput, p50/p99), then 10,000 requests
# checking the heap after GC does not grow. Runs server and client in one JVM with a small heap, so a leak
# would show. Usage: bench/loadtest.sh MODEL [--burst 200] [--soak 10000] [--clients 16] [--max-concurrent N]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/bin/jdk.sh"
[ $# -ge 1 ] || { echo "usage: bench/loadtest.sh MODEL [options]" >&2; exit 2; }
(cd "$root" && mvn -q -B -DskipTests package >&2)
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx${LOADTEST_HEAP:-512m} \
  -cp "$root/target/yuefu.jar" io.github.yuefu.server.LoadTest "$@" 2> >(grep -v '^WARNING: Using incubator' >&2)
