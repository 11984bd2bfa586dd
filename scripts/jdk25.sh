# Sourced by ./run-local, .ci/run and the Makefile: exports JAVA_HOME of a JDK 25 (the Lambda java25
# runtime's major version; the build and every test run on it), or stops with a clear message.
# Looks at $JAVA_HOME, then the usual install folders, then `java` on the PATH. JDK25_CANDIDATES (a
# space-separated list of folders) replaces the install folders and the PATH: RunLocalIT uses it to
# show the message a machine without a JDK 25 gets.
_jdk_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
_jdk25_find() {
  local candidate candidates
  if [[ -n "${JDK25_CANDIDATES+set}" ]]; then
    read -r -a candidates <<< "$JDK25_CANDIDATES"
  else
    candidates=(/usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25-* /usr/lib/jvm/*25* /Library/Java/JavaVirtualMachines/*25*/Contents/Home
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")")
  fi
  for candidate in "${JAVA_HOME:-}" "${candidates[@]}"; do
    if [[ -n "$candidate" && -x "$candidate/bin/java" && -x "$candidate/bin/javac" && "$(_jdk_major "$candidate")" == "25" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
if ! JAVA_HOME="$(_jdk25_find)"; then
  echo "No JDK 25 found (looked at \$JAVA_HOME, /usr/lib/jvm/*25*, the java on the PATH)." >&2
  echo "This project targets Lambda's java25 runtime: install a JDK 25 (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1 2>/dev/null || exit 1   # sourced (a shell, run-local, .ci/run): fail without closing the caller's shell
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
