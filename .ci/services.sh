# Starts throwaway PostgreSQL and Redis servers on loopback and exports TEST_DATABASE_URL / TEST_REDIS_URL.
# Sourced by .ci/run; also handy locally: `. .ci/services.sh && start_services`.
start_services() {
  local dir pgbin
  dir=$(mktemp -d /tmp/posface-ci.XXXXXX)
  chmod 755 "$dir"
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  # initdb refuses to run as root: run PostgreSQL as the postgres user (created by the Debian package).
  local run=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
    chown postgres "$dir"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$pgbin/initdb" -D "$dir/pg" -U postgres -A trust --no-sync >/dev/null
  "${run[@]}" "$pgbin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -o "-c listen_addresses=127.0.0.1 -p 55432 -k $dir -c fsync=off" -w start >/dev/null
  "$pgbin/psql" -h 127.0.0.1 -p 55432 -U postgres -c 'CREATE DATABASE posface_test' >/dev/null
  export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:55432/posface_test

  redis-server --port 56379 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --logfile "$dir/redis.log"
  export TEST_REDIS_URL=redis://127.0.0.1:56379
  trap "'${run[@]:-env}' '$pgbin/pg_ctl' -D '$dir/pg' -m immediate stop >/dev/null 2>&1; redis-cli -p 56379 shutdown nosave >/dev/null 2>&1" EXIT
}
