#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL server from Debian's packages on 127.0.0.1, for running the test suite
# against an external database, as CI does. The server's data lives in a temporary folder removed on stop.
#
#   scripts/debian-postgres.sh start STATE_DIR   installs the package if needed, starts the server, prints DATABASE_URL
#   scripts/debian-postgres.sh stop STATE_DIR    stops the server and removes its data
set -euo pipefail

command=${1:?usage: debian-postgres.sh start|stop STATE_DIR}
state_dir=${2:?usage: debian-postgres.sh start|stop STATE_DIR}
data_dir="$state_dir/data"

# PostgreSQL refuses to run as root, so as root the server runs as Debian's postgres user.
as_server_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

find_bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

case "$command" in
  start)
    bin_dir=$(find_bin_dir)
    if [ -z "$bin_dir" ]; then
      echo "Installing PostgreSQL from Debian's packages" >&2
      if [ "$(id -u)" != 0 ]; then
        echo "debian-postgres: PostgreSQL is not installed and this user cannot install it; run: sudo apt-get install -y postgresql" >&2
        exit 1
      fi
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 \
        || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
      bin_dir=$(find_bin_dir)
    fi

    mkdir -p "$state_dir"
    chmod 755 "$state_dir"
    [ "$(id -u)" = 0 ] && chown postgres "$state_dir"
    port=$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')
    password=$(node -e 'console.log(require("crypto").randomBytes(16).toString("hex"))')
    printf '%s\n' "$password" > "$state_dir/password"
    [ "$(id -u)" = 0 ] && chown postgres "$state_dir/password"

    as_server_user "$bin_dir/initdb" -D "$data_dir" -U mes --pwfile="$state_dir/password" --auth=scram-sha-256 -E UTF8 >/dev/null
    as_server_user "$bin_dir/pg_ctl" -D "$data_dir" -l "$state_dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' -c max_connections=200" start >/dev/null
    PGPASSWORD=$password "$bin_dir/psql" -h 127.0.0.1 -p "$port" -U mes -d postgres -q -c 'CREATE DATABASE mon_espace_sante' >&2
    echo "$bin_dir" > "$state_dir/bin-dir"
    echo "postgres://mes:$password@127.0.0.1:$port/mon_espace_sante"
    ;;
  stop)
    if [ -f "$state_dir/bin-dir" ]; then
      as_server_user "$(cat "$state_dir/bin-dir")/pg_ctl" -D "$data_dir" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$state_dir"
    ;;
  *)
    echo "debian-postgres: unknown command $command; expected start or stop" >&2
    exit 2
    ;;
esac
