# Sourced by the scripts in bin/: finds a JDK 25 and exports JAVA_HOME, whatever the default java is.
# Order: $YUEFU_JAVA_HOME, $JAVA_HOME if it is 25+, Temurin 25 under /usr/lib/jvm, any other JDK 25+ there.
yuefu_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
yuefu_find_jdk() {
  local c
  for c in "${YUEFU_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    local v; v=$(yuefu_java_major "$c")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME=$(yuefu_find_jdk); then
  echo "yuefu: JDK 25 not found (looked at \$YUEFU_JAVA_HOME, \$JAVA_HOME and /usr/lib/jvm)." >&2
  echo "       Install Temurin 25 (/usr/lib/jvm/temurin-25-jdk-amd64) or set YUEFU_JAVA_HOME." >&2
  exit 2
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
