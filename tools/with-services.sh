#!/usr/bin/env bash
# Run a command with the local services the tests need, and stop them however it ends:
#   tools/with-services.sh .venv/bin/python -m pytest
# Starts Elasticsearch (tools/elasticsearch.sh) and PostgreSQL (tools/postgres.sh) on
# IPHUB_ES_PORT (9200) and IPHUB_PG_PORT (5433), and exports IPHUB_ES_URL and IPHUB_TEST_PG_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
export IPHUB_ES_PORT=${IPHUB_ES_PORT:-9200} IPHUB_PG_PORT=${IPHUB_PG_PORT:-5433}

stop() {
    tools/elasticsearch.sh stop || true
    tools/postgres.sh stop || true
}
trap stop EXIT

tools/elasticsearch.sh start
tools/postgres.sh start
IPHUB_ES_URL=http://127.0.0.1:$IPHUB_ES_PORT IPHUB_TEST_PG_URL=$(tools/postgres.sh url) "$@"
