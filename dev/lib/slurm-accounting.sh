# shellcheck shell=bash
# dev/lib/slurm-accounting.sh (sourced by dev/local-slurm): job accounting for every local cluster. One
# MariaDB server (Debian 12's, run on the host with its own data directory, socket and port, never the
# system service) holds a database per cluster; each cluster runs its own slurmdbd on PORT0 + 2.

readonly DB_PORT=13306 DB_USER=slurm DB_MARKER=DASKMPI_LOCAL_MARIADB=1
readonly DB_DIR=$BASE/mariadb
readonly ACCOUNT=daskmpi

# --- the MariaDB server --------------------------------------------------------------------------------
db_pid() {
  local pid exe
  pid=$(read_pid "$DB_DIR/mariadbd.pid") || return 1
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  [[ ${exe% (deleted)} == /usr/sbin/mariadbd ]] && has_env_marker "$pid" "$DB_MARKER" || return 1
  printf '%s' "$pid"
}
# SQL on stdin, never on the command line: /proc/PID/cmdline is world-readable.
db_sql() { mariadb --no-defaults --protocol=socket --socket="$DB_DIR/mysqld.sock" -u root -N -B; }
db_ready() { db_sql <<<'SELECT 1' >/dev/null 2>&1; }

db_up() {
  local log=$DB_DIR/mariadbd.log pass fresh
  fresh=$(missing_pkgs '' mariadb-server)
  install_host_pkgs mariadb-server
  # The package enables the system service; ours runs instead. Disabled only when we installed it.
  if [[ -n $fresh ]] && command -v systemctl >/dev/null && systemctl is-enabled -q mariadb 2>/dev/null; then
    systemctl disable -q mariadb 2>/dev/null || true
  fi
  install -d -m 750 -o mysql -g mysql "$DB_DIR"
  if [[ ! -d $DB_DIR/data/mysql ]]; then
    say "accounting: initialising a MariaDB data directory in $DB_DIR/data"
    mariadb-install-db --no-defaults --user=mysql --datadir="$DB_DIR/data" --skip-test-db \
      --auth-root-authentication-method=socket >>"$log" 2>&1 || die "mariadb-install-db failed" "$log"
  fi
  if ! db_pid >/dev/null; then
    port_in_use "$DB_PORT" && die "cannot start MariaDB: port $DB_PORT on 127.0.0.1 is already in use"
    say "accounting: starting MariaDB on 127.0.0.1:$DB_PORT"
    (detach_from_caller && exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$DB_MARKER" setsid /usr/sbin/mariadbd \
      --no-defaults --user=mysql --datadir="$DB_DIR/data" --socket="$DB_DIR/mysqld.sock" \
      --pid-file="$DB_DIR/mariadbd.pid" --port="$DB_PORT" --bind-address=127.0.0.1 --skip-name-resolve \
      --log-error="$log" --innodb-buffer-pool-size=64M --innodb-lock-wait-timeout=900) </dev/null >>"$log" 2>&1 &
    wait_until 60 db_ready || die "MariaDB did not come up" "$log"
  fi
  if [[ ! -s $DB_DIR/slurm.pass ]]; then
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$DB_DIR/slurm.pass")
  fi
  pass=$(<"$DB_DIR/slurm.pass")
  # slurmdbd creates its own database; the pattern lets it create one per cluster and nothing else.
  db_sql >>"$log" 2>&1 <<SQL || die "cannot create the MariaDB user $DB_USER" "$log"
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$pass';
ALTER USER '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$pass';
GRANT ALL ON \`slurm\\_acct\\_%\`.* TO '$DB_USER'@'127.0.0.1';
SQL
}

# Stops MariaDB once no cluster's slurmdbd needs it (call with no version selected).
db_down_if_unused() {
  local v pid
  for v in "${ALL_VERSIONS[@]}"; do
    use_version "$v"
    if is_running slurmdbd; then
      no_version
      return 0
    fi
  done
  no_version
  if pid=$(db_pid); then stop_pid "$pid" MariaDB 60; fi
}

# --- one cluster's slurmdbd ----------------------------------------------------------------------------
render_slurmdbd_conf() {
  cat <<EOF
# Written by dev/local-slurm; changes here are overwritten.
AuthType=auth/munge
AuthInfo=socket=$MUNGE_DIR/munge.socket.2
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$ETC/jwt_hs256.key
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=${DBD_PORT:?}
SlurmUser=root
PidFile=$RUND/slurmdbd.pid
LogFile=$LOGD/slurmdbd.log
DebugLevel=info
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$DB_PORT
StorageUser=$DB_USER
StoragePass=$(<"$DB_DIR/slurm.pass")
StorageLoc=slurm_acct_${VER/./}
EOF
}

# The cluster, an account and the job user's association: what a site has, so that job records carry
# an association and `sacct`/`/slurmdb/` answer for the job user as they do there.
register_cluster() {
  local out
  # The first start creates the tables before slurmdbd listens.
  wait_until 60 port_in_use "$DBD_PORT" || die "slurmdbd does not listen on port $DBD_PORT" "$(logfile_of slurmdbd)"
  run_in sacctmgr -n -P show cluster "$CLUSTER" format=cluster 2>/dev/null | grep -qx "$CLUSTER" ||
    out=$(run_in sacctmgr -i add cluster "$CLUSTER" 2>&1) || die "sacctmgr add cluster failed: $out"
  local user
  for user in "$JOB_USER" "$PEER_USER"; do
    if ! run_in sacctmgr -n -P show assoc "cluster=$CLUSTER" "user=$user" format=account 2>/dev/null |
      grep -qx "$ACCOUNT"; then
      say "accounting: account $ACCOUNT and user $user in cluster $CLUSTER"
      run_in sacctmgr -i add account "$ACCOUNT" "cluster=$CLUSTER" >/dev/null 2>&1 || true
      out=$(run_in sacctmgr -i add user "$user" "account=$ACCOUNT" "cluster=$CLUSTER" 2>&1) ||
        die "sacctmgr add user $user failed: $out"
    fi
  done
}
