# Starts throwaway PostgreSQL and Redis servers on loopback and exports TEST_DATABASE_URL / TEST_REDIS_URL.
# Sourced by .ci/run; also handy locally (bash):  . .ci/services.sh && start_services   …   stop_services
# Ports: 55432 and 56379 by default (POSFACE_PG_PORT / POSFACE_REDIS_PORT); the servers of a previous run whose
# shell is gone are stopped first, and if something else holds a port the next free one is used. The servers
# stop when the sourcing shell exits (or on stop_services). Each shell has its own state file, so two shells
# (parallel CI jobs, two people on one machine) never stop each other's servers.

_posface_state="/tmp/posface-ci-services.$$.state"

_posface_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

_posface_free_port() {
  local port=$1 tries=0
  while _posface_port_busy "$port"; do
    port=$((port + 1)); tries=$((tries + 1))
    if [ "$tries" -gt 50 ]; then echo "services: no free port near $1" >&2; return 1; fi
  done
  echo "$port"
}

_posface_as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

_posface_stop_state() { # $1: a state file
  local dir pgbin redis_port
  # shellcheck disable=SC1090
  . "$1"
  if [ -n "${dir:-}" ] && [ -d "$dir/pg" ]; then
    _posface_as_postgres "$pgbin/pg_ctl" -D "$dir/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ -n "${redis_port:-}" ]; then redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true; fi
  [ -n "${dir:-}" ] && rm -rf "$dir"
  rm -f "$1"
}

stop_services() {
  [ -f "$_posface_state" ] && _posface_stop_state "$_posface_state"
  return 0
}

# Servers left by runs whose shell is gone (killed shell, crashed job); live shells keep theirs.
_posface_stop_stale() {
  local f pid
  for f in /tmp/posface-ci-services.*.state; do
    [ -f "$f" ] || continue
    pid=${f#/tmp/posface-ci-services.}
    pid=${pid%.state}
    if [ "$pid" = "$$" ] || ! { [ -d "/proc/$pid" ] || kill -0 "$pid" 2>/dev/null; }; then _posface_stop_state "$f"; fi
  done
}

start_services() {
  local dir pgbin pg_port redis_port
  _posface_stop_stale
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$pgbin" ]; then echo "services: PostgreSQL is not installed (apt-get install postgresql)" >&2; return 1; fi
  command -v redis-server >/dev/null || { echo "services: redis-server is not installed (apt-get install redis-server)" >&2; return 1; }
  pg_port=$(_posface_free_port "${POSFACE_PG_PORT:-55432}") || return 1
  redis_port=$(_posface_free_port "${POSFACE_REDIS_PORT:-56379}") || return 1

  dir=$(mktemp -d /tmp/posface-ci.XXXXXX)
  chmod 755 "$dir"
  printf 'dir=%q\npgbin=%q\nredis_port=%q\n' "$dir" "$pgbin" "$redis_port" >"$_posface_state"
  # initdb refuses to run as root: run PostgreSQL as the postgres user (created by the Debian package).
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$dir"
  fi
  _posface_as_postgres "$pgbin/initdb" -D "$dir/pg" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 ||
    { echo "services: initdb failed:" >&2; cat "$dir/initdb.log" >&2; return 1; }
  _posface_as_postgres "$pgbin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null ||
    { echo "services: PostgreSQL did not start:" >&2; cat "$dir/pg.log" >&2; return 1; }
  "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -q -c 'CREATE DATABASE posface_test' >/dev/null || return 1
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/posface_test"

  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir" || return 1
  local i
  for i in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 || { echo "services: Redis did not start:" >&2; cat "$dir/redis.log" >&2; return 1; }
  export TEST_REDIS_URL="redis://127.0.0.1:$redis_port"

  trap stop_services EXIT
  echo "services: TEST_DATABASE_URL=$TEST_DATABASE_URL TEST_REDIS_URL=$TEST_REDIS_URL" >&2
}
