#!/usr/bin/env bash
# Throwaway MariaDB server for the MySQL tests of store/sqlstore.
#
# Usage (as root on Debian/Ubuntu; apt-get is used only when MariaDB is not
# installed yet):
#
#   source .ci/mariadb.sh start   # install if needed, start, export MAGEKIT_MYSQL_DSN
#   bash .ci/mariadb.sh start     # the same, printing `export MAGEKIT_MYSQL_DSN=...`
#   bash .ci/mariadb.sh dsn       # print the DSN of the running server
#   bash .ci/mariadb.sh status    # exit 0 if it answers
#   bash .ci/mariadb.sh stop      # stop it and delete its data
#
# The server is private to this script: --no-defaults, its own data directory,
# socket and pid file under $MAGEKIT_MARIADB_DIR (default /tmp/magekit-mariadb),
# TCP on 127.0.0.1:$MAGEKIT_MARIADB_PORT (default 33306) only. It gets a user
# magekit/magekit with every privilege (the tests create and drop databases
# named magekit_test_*) and a database magekit_test. `start` is idempotent: a
# server that is already running is reused.
#
# The DSN uses the socket:
#   magekit:magekit@unix(/tmp/magekit-mariadb/mysqld.sock)/magekit_test?parseTime=true
# and the same server answers on tcp(127.0.0.1:33306).

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
	# Sourced: do the work in a child bash, whose errexit is not disabled by
	# the caller's context, and only export here.
	case "${1:-start}" in
	start)
		if ! bash "${BASH_SOURCE[0]}" start >&2; then
			echo "mariadb.sh: start failed" >&2
			return 1
		fi
		MAGEKIT_MYSQL_DSN="$(bash "${BASH_SOURCE[0]}" dsn)" || return 1
		export MAGEKIT_MYSQL_DSN
		echo "mariadb.sh: MAGEKIT_MYSQL_DSN=$MAGEKIT_MYSQL_DSN" >&2
		;;
	*)
		bash "${BASH_SOURCE[0]}" "$@" || return 1
		;;
	esac
	return 0
fi

set -euo pipefail

dir="${MAGEKIT_MARIADB_DIR:-/tmp/magekit-mariadb}"
port="${MAGEKIT_MARIADB_PORT:-33306}"
sock="$dir/mysqld.sock"
pidfile="$dir/mariadbd.pid"
user=magekit
password=magekit
dsn="$user:$password@unix($sock)/magekit_test?parseTime=true"

log() { echo "mariadb.sh: $*" >&2; }

bin() { # first of the names that exists
	local n
	for n in "$@"; do
		if command -v "$n" >/dev/null 2>&1; then
			command -v "$n"
			return 0
		fi
		if [[ -x "/usr/sbin/$n" ]]; then
			echo "/usr/sbin/$n"
			return 0
		fi
	done
	return 1
}

install() {
	if bin mariadbd mysqld >/dev/null && bin mariadb mysql >/dev/null; then
		return 0
	fi
	log "installing mariadb-server"
	export DEBIAN_FRONTEND=noninteractive
	# Keep the package's own service from starting: we run a private one.
	local policy=/usr/sbin/policy-rc.d made=""
	if [[ ! -e "$policy" ]]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy"
		chmod 755 "$policy"
		made=1
	fi
	local rc=0
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends mariadb-server mariadb-client; } >&2 || rc=$?
	if [[ -n "$made" ]]; then rm -f "$policy"; fi
	return "$rc"
}

answers() {
	"$(bin mariadb-admin mysqladmin)" --no-defaults --socket="$sock" -uroot --connect-timeout=2 ping >/dev/null 2>&1
}

running() {
	[[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

start() {
	if running && answers; then
		log "already running (pid $(cat "$pidfile"))"
		echo "export MAGEKIT_MYSQL_DSN='$dsn'"
		return 0
	fi
	install
	if running; then stop; fi
	rm -rf "$dir"
	mkdir -p "$dir/data" "$dir/tmp"
	log "initialising $dir/data"
	"$(bin mariadb-install-db mysql_install_db)" --no-defaults --datadir="$dir/data" --user=root \
		--auth-root-authentication-method=socket --skip-test-db >"$dir/install.log" 2>&1 || {
		cat "$dir/install.log" >&2
		return 1
	}
	log "starting on $sock and 127.0.0.1:$port"
	setsid "$(bin mariadbd mysqld)" --no-defaults --user=root --datadir="$dir/data" --tmpdir="$dir/tmp" \
		--socket="$sock" --pid-file="$pidfile" --port="$port" --bind-address=127.0.0.1 \
		--log-error="$dir/error.log" --skip-name-resolve --skip-log-bin --max-connections=1000 \
		--innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 \
		--innodb-doublewrite=0 --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
		</dev/null >>"$dir/mariadbd.out" 2>&1 &
	local i bgpid=$!
	for ((i = 0; i < 120; i++)); do # 60 s at most
		if answers; then break; fi
		if ! kill -0 "$bgpid" 2>/dev/null; then
			log "mariadbd exited:"
			tail -n 30 "$dir/error.log" >&2 || true
			return 1
		fi
		sleep 0.5
	done
	if ! answers; then
		log "mariadbd does not answer after 60 s:"
		tail -n 30 "$dir/error.log" >&2 || true
		return 1
	fi
	"$(bin mariadb mysql)" --no-defaults --socket="$sock" -uroot <<-SQL
		CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$password';
		CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$password';
		GRANT ALL PRIVILEGES ON *.* TO '$user'@'%';
		GRANT ALL PRIVILEGES ON *.* TO '$user'@'localhost';
		CREATE DATABASE IF NOT EXISTS magekit_test;
	SQL
	echo "$dsn" >"$dir/dsn"
	log "ready (pid $(cat "$pidfile"))"
	echo "export MAGEKIT_MYSQL_DSN='$dsn'"
}

stop() {
	if running; then
		local pid i
		pid="$(cat "$pidfile")"
		log "stopping pid $pid"
		kill "$pid" 2>/dev/null || true
		for ((i = 0; i < 60; i++)); do # 30 s, then SIGKILL
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.5
		done
		kill -9 "$pid" 2>/dev/null || true
	fi
	rm -rf "$dir"
}

case "${1:-start}" in
start) start ;;
stop) stop ;;
status) running && answers ;;
dsn)
	running && answers || {
		log "not running; run: bash $0 start"
		exit 1
	}
	echo "$dsn"
	;;
*)
	echo "usage: $0 start|stop|status|dsn" >&2
	exit 2
	;;
esac
