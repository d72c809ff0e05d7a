#!/usr/bin/env bash
# Local single-node Elasticsearch for iphub's tests: no Docker, no internet
# beyond Maven Central (through `mvn`).
#
#   tools/elasticsearch.sh install   download + unpack once, build tools/es-plugins
#   tools/elasticsearch.sh start     install if needed, start in background, wait for health
#   tools/elasticsearch.sh stop      stop it and wait until it is gone
#   tools/elasticsearch.sh status    exit 0 running+healthy, 1 running+unhealthy, 3 stopped
#
# The server is Elastic's minimal "integ-test-zip" distribution from Maven
# Central: the server plus transport-netty4, x-pack-core, x-pack-security and
# apm, and none of the other modules (analysis-common, lang-painless, reindex,
# mapper-extras, ingest-common, rest-root, ...), which Maven Central does not
# carry. Its builtin `whitespace` *analyzer* works; tools/es-plugins/ adds, built
# here against the distribution's own jars:
#   iphub-analysis   `whitespace` tokenizer and `asciifolding` filter (stable API)
#   iphub-rest-root  GET / and HEAD / (client ping()/info())
# Not available, so tests must not rely on them: painless scripts, _reindex and
# _update_by_query, ingest pipelines, search_as_you_type and other mapper-extras
# types, auto_date_histogram / bucket_sort aggregations. Core queries,
# aggregations (terms, date_histogram, composite, cardinality, significant_terms,
# ...), bulk and highlighting work. Python client: `elasticsearch` 9.x.
#
# Runs as root are handed to an unprivileged user (Elasticsearch refuses root),
# created with useradd if missing; every directory above IPHUB_ES_DIR must be
# searchable by others for that user to reach it.
#
# Environment (all optional):
#   IPHUB_ES_PORT            HTTP port on 127.0.0.1 (default 9200)
#   IPHUB_ES_TRANSPORT_PORT  transport port or range (default 9300-9399)
#   IPHUB_ES_HEAP            JVM heap, used for -Xms and -Xmx (default 1g)
#   IPHUB_ES_JAVA_HOME       JDK >= 21 to run it (default: Temurin 25, else any JDK >= 21)
#   IPHUB_ES_DIR             where the server, data and logs live (default var/elasticsearch)
#   IPHUB_M2_REPO            Maven local repository (default var/m2)
#   IPHUB_ES_USER            unprivileged user to run as when invoked as root (default iphub-es)
#   IPHUB_ES_START_TIMEOUT   seconds to wait for yellow/green health (default 120)
set -euo pipefail

# The one place the version is pinned. Maven Central publishes no checksum for
# this zip, so its SHA-256 is pinned here too.
ES_VERSION=9.5.0
ES_ZIP_SHA256=db0e275fd790f723eca7bcde96069fd6fed304ad23afdb70c8c09553dd9e8b1b
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
MVN_DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.6.1
ES_MIN_JAVA=21

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ES_DIR=${IPHUB_ES_DIR:-$ROOT/var/elasticsearch}
world_searchable() { # every directory from $1 up to / has the others-execute bit
    local d=$1
    while [[ $d != / ]]; do
        (( 8#$(stat -c %a "$d") & 1 )) || return 1
        d=$(dirname "$d")
    done
}
# As root the server runs as an unprivileged user, which must reach ES_DIR: a clone under a
# private home (/root is 0700) falls back to a world-searchable cache directory.
if [[ -z ${IPHUB_ES_DIR:-} && $EUID -eq 0 ]] && ! world_searchable "$ROOT"; then
    ES_DIR=/var/tmp/iphub-elasticsearch
fi
BASE=$ES_DIR/$ES_VERSION
ES_HOME=$BASE/home
DATA_DIR=$BASE/data
LOG_DIR=$BASE/logs
TMP_DIR=$BASE/tmp
RUN_DIR=$BASE/run
PID_FILE=$RUN_DIR/elasticsearch.pid
PORT_FILE=$RUN_DIR/http.port
PORT=${IPHUB_ES_PORT:-9200}
TRANSPORT_PORT=${IPHUB_ES_TRANSPORT_PORT:-9300-9399}
HEAP=${IPHUB_ES_HEAP:-1g}
ES_USER=${IPHUB_ES_USER:-iphub-es}
M2_REPO=${IPHUB_M2_REPO:-$ROOT/var/m2}
START_TIMEOUT=${IPHUB_ES_START_TIMEOUT:-120}
CLUSTER_NAME=iphub-test
PLUGINS_SRC=$ROOT/tools/es-plugins

log() { printf 'elasticsearch.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- Java -------------------------------------------------------------------

java_major() { # $1 = JAVA_HOME; prints the feature version or nothing
    local spec
    spec=$("$1/bin/java" -XshowSettings:properties -version 2>&1 |
        awk -F'= ' '/java.specification.version/ {print $2; exit}') || return 0
    printf '%s' "${spec%%.*}"
}

find_java_home() {
    local candidate major
    local -a candidates=()
    [[ -n ${IPHUB_ES_JAVA_HOME:-} ]] && candidates+=("$IPHUB_ES_JAVA_HOME")
    [[ -n ${ES_JAVA_HOME:-} ]] && candidates+=("$ES_JAVA_HOME")
    candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64)
    [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME")
    for candidate in /usr/lib/jvm/*; do candidates+=("$candidate"); done
    for candidate in "${candidates[@]}"; do
        [[ -x $candidate/bin/java && -x $candidate/bin/javac ]] || continue
        major=$(java_major "$candidate")
        if [[ $major =~ ^[0-9]+$ ]] && ((major >= ES_MIN_JAVA)); then
            printf '%s' "$candidate"
            return 0
        fi
    done
    die "no JDK >= $ES_MIN_JAVA found (tried: ${candidates[*]}); set IPHUB_ES_JAVA_HOME"
}

# --- Running as an unprivileged user ------------------------------------------

is_root() { [[ $EUID -eq 0 ]]; }

ensure_es_user() {
    is_root || return 0
    if ! id -u "$ES_USER" >/dev/null 2>&1; then
        log "creating system user $ES_USER (Elasticsearch refuses to run as root)"
        useradd --system --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$ES_USER"
    fi
}

as_es_user() {
    if is_root; then
        runuser -u "$ES_USER" -- "$@"
    else
        "$@"
    fi
}

# --- install ----------------------------------------------------------------

unpack_zip() { # $1 = zip, $2 = destination directory
    if command -v unzip >/dev/null 2>&1; then
        unzip -q "$1" -d "$2"
    else
        python3 - "$1" "$2" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        path = z.extract(info, sys.argv[2])
        mode = info.external_attr >> 16
        if mode:
            os.chmod(path, mode & 0o7777)
PY
    fi
}

download_server() {
    local download=$BASE/download zip
    zip=$download/elasticsearch-$ES_VERSION.zip
    command -v mvn >/dev/null 2>&1 || die "mvn not found (apt-get install maven)"
    mkdir -p "$download"
    log "downloading $ES_ARTIFACT with mvn (local repository $M2_REPO)"
    if ! mvn -B -q -Dmaven.repo.local="$M2_REPO" "$MVN_DEPENDENCY_PLUGIN:copy" \
        -Dartifact="$ES_ARTIFACT" -DoutputDirectory="$download" >"$BASE/mvn.log" 2>&1; then
        cat "$BASE/mvn.log" >&2
        die "mvn could not fetch $ES_ARTIFACT"
    fi
    rm -f "$BASE/mvn.log"
    [[ -f $zip ]] || die "mvn reported success but $zip is missing"
    local actual
    actual=$(sha256sum "$zip" | awk '{print $1}')
    [[ $actual == "$ES_ZIP_SHA256" ]] ||
        die "checksum mismatch for $zip: expected $ES_ZIP_SHA256, got $actual"

    local staging=$BASE/unpack.tmp
    rm -rf "$staging" "$ES_HOME"
    mkdir -p "$staging"
    unpack_zip "$zip" "$staging"
    mv "$staging/elasticsearch-$ES_VERSION" "$ES_HOME"
    rm -rf "$staging" "$download"
    touch "$ES_HOME/.iphub-installed"
}

plugin_sources_sha() { # $1 = plugin source directory
    (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) |
        { printf '%s\n' "$ES_VERSION"; cat; } | sha256sum | awk '{print $1}'
}

# Builds tools/es-plugins/<name> into $ES_HOME/plugins/<name>, compiled against
# the jars of the installed server. A directory with named_components.json is a
# stable-API plugin, any other a classic plugin (descriptor.properties names its
# classname). Rebuilt only when its sources or the server version change.
build_plugin() { # $1 = JAVA_HOME, $2 = plugin source directory
    local java_home=$1 src=$2 name sha
    name=$(basename "$src")
    local dest=$ES_HOME/plugins/$name
    sha=$(plugin_sources_sha "$src")
    if [[ -f $dest/.source-sha256 && $(<"$dest/.source-sha256") == "$sha" ]]; then
        return 0
    fi
    log "building Elasticsearch plugin $name"
    local build=$BASE/plugin-build/$name cp="" jar descriptor=plugin-descriptor.properties
    for jar in "$ES_HOME"/lib/*.jar; do cp+="${cp:+:}$jar"; done
    rm -rf "$build" "$dest"
    mkdir -p "$build/classes" "$dest"
    local -a sources=()
    mapfile -t sources < <(find "$src/src" -name '*.java' | LC_ALL=C sort)
    "$java_home/bin/javac" --release "$ES_MIN_JAVA" -nowarn -d "$build/classes" -cp "$cp" \
        "${sources[@]}"
    "$java_home/bin/jar" --create --file "$dest/$name.jar" -C "$build/classes" .
    if [[ -f $src/named_components.json ]]; then
        descriptor=stable-plugin-descriptor.properties
        cp "$src/named_components.json" "$dest/"
    fi
    {
        cat "$src/descriptor.properties"
        printf 'name=%s\nversion=1.0.0\njava.version=%s\nelasticsearch.version=%s\n' \
            "$name" "$ES_MIN_JAVA" "$ES_VERSION"
    } >"$dest/$descriptor"
    printf '%s\n' "$sha" >"$dest/.source-sha256"
    rm -rf "$build"
}

cmd_install() {
    local java_home
    java_home=$(find_java_home)
    mkdir -p "$BASE"
    if [[ -f $ES_HOME/.iphub-installed ]]; then
        log "Elasticsearch $ES_VERSION already installed in $ES_HOME"
    else
        download_server
        log "installed Elasticsearch $ES_VERSION in $ES_HOME"
    fi
    local plugin
    for plugin in "$PLUGINS_SRC"/*/; do
        build_plugin "$java_home" "${plugin%/}"
    done
}

# --- start / stop / status ----------------------------------------------------

read_pid() {
    [[ -s $PID_FILE ]] || return 1
    local pid
    pid=$(<"$PID_FILE")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    printf '%s' "$pid"
}

running_pid() { # prints the pid if the server process is alive
    local pid
    pid=$(read_pid) || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    printf '%s' "$pid"
}

recorded_port() {
    if [[ -s $PORT_FILE ]]; then cat "$PORT_FILE"; else printf '%s' "$PORT"; fi
}

health_status() { # $1 = port; prints green/yellow/red or nothing
    curl -fsS --max-time 5 \
        "http://127.0.0.1:$1/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null |
        sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' || true
}

show_logs() {
    local f
    for f in "$LOG_DIR/startup.out" "$LOG_DIR/$CLUSTER_NAME.log"; do
        [[ -s $f ]] || continue
        log "---- last lines of $f ----"
        tail -n 60 "$f" >&2
    done
}

check_reachable() {
    is_root || return 0
    if ! runuser -u "$ES_USER" -- test -x "$ES_HOME/bin/elasticsearch"; then
        die "user $ES_USER cannot reach $ES_HOME: a parent directory is not searchable by others" \
            "(e.g. /root is 0700). Set IPHUB_ES_DIR to a directory under a world-searchable" \
            "path, e.g. IPHUB_ES_DIR=/var/tmp/iphub-elasticsearch"
    fi
}

cmd_start() {
    local pid status
    if pid=$(running_pid); then
        local port
        port=$(recorded_port)
        [[ $port == "$PORT" ]] ||
            die "already running on port $port (pid $pid), not $PORT; run '$0 stop' first"
        status=$(health_status "$port")
        if [[ $status == green || $status == yellow ]]; then
            log "already running (pid $pid, port $port, health $status)"
            return 0
        fi
        die "process $pid is alive but not healthy; run '$0 stop' first"
    fi
    rm -f "$PID_FILE"
    if health_status "$PORT" | grep -q .; then
        die "something else already answers on 127.0.0.1:$PORT; set IPHUB_ES_PORT"
    fi

    cmd_install
    local java_home
    java_home=$(find_java_home)
    ensure_es_user
    mkdir -p "$DATA_DIR" "$LOG_DIR" "$TMP_DIR" "$RUN_DIR"
    : >"$LOG_DIR/startup.out"
    if is_root; then chown -R "$ES_USER:" "$BASE"; fi
    check_reachable
    printf '%s\n' "$PORT" >"$PORT_FILE"

    log "starting Elasticsearch $ES_VERSION on http://127.0.0.1:$PORT (java $java_home, heap $HEAP)"
    local started=$SECONDS rc=0
    # -d daemonizes; the launcher returns once the node has started or failed.
    (
        cd "$LOG_DIR"
        as_es_user env \
            ES_JAVA_HOME="$java_home" \
            ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP" \
            ES_TMPDIR="$TMP_DIR" \
            timeout "$START_TIMEOUT" "$ES_HOME/bin/elasticsearch" -d -p "$PID_FILE" \
            -Ecluster.name="$CLUSTER_NAME" \
            -Enode.name=iphub-es \
            -Ediscovery.type=single-node \
            -Enetwork.host=127.0.0.1 \
            -Ehttp.port="$PORT" \
            -Etransport.port="$TRANSPORT_PORT" \
            -Expack.security.enabled=false \
            -Ecluster.routing.allocation.disk.threshold_enabled=false \
            -Eaction.destructive_requires_name=false \
            -Epath.data="$DATA_DIR" \
            -Epath.logs="$LOG_DIR"
    ) >>"$LOG_DIR/startup.out" 2>&1 || rc=$?
    if ((rc != 0)); then
        show_logs
        stop_pid || true
        die "Elasticsearch launcher exited with status $rc"
    fi

    while ((SECONDS - started < START_TIMEOUT)); do
        status=$(health_status "$PORT")
        if [[ $status == green || $status == yellow ]]; then
            log "up after $((SECONDS - started)) s (pid $(read_pid), health $status)"
            return 0
        fi
        if ! running_pid >/dev/null; then
            show_logs
            die "Elasticsearch exited during startup"
        fi
        sleep 1
    done
    show_logs
    stop_pid || true
    die "Elasticsearch did not report yellow/green health within $START_TIMEOUT s"
}

stop_pid() { # stops the process in the pid file, if any
    local pid i
    pid=$(running_pid) || { rm -f "$PID_FILE"; return 1; }
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 120; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid ignored SIGTERM for 60 s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    fi
    rm -f "$PID_FILE"
    return 0
}

cmd_stop() {
    local pid
    if pid=$(running_pid); then
        log "stopping Elasticsearch (pid $pid)"
        stop_pid
        log "stopped"
    else
        rm -f "$PID_FILE"
        log "not running"
    fi
}

cmd_status() {
    local pid port status
    if ! pid=$(running_pid); then
        echo "stopped"
        return 3
    fi
    port=$(recorded_port)
    status=$(health_status "$port")
    echo "running pid=$pid url=http://127.0.0.1:$port version=$ES_VERSION health=${status:-unreachable}"
    [[ $status == green || $status == yellow ]] || return 1
}

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

main() {
    local cmd=${1:-}
    case $cmd in
        install) cmd_install ;;
        start) cmd_start ;;
        stop) cmd_stop ;;
        status) cmd_status ;;
        -h | --help | help) usage ;;
        *)
            usage >&2
            exit 2
            ;;
    esac
}

main "$@"
