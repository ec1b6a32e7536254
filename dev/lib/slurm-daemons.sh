# shellcheck shell=bash
# dev/lib/slurm-daemons.sh (sourced by dev/local-slurm): a version's slurm.conf and keys, starting and
# stopping its daemons, tokens and REST checks.

# --- configuration -----------------------------------------------------------------------------------
render_slurm_conf() {
  cat <<EOF
# Written by dev/local-slurm; changes here are overwritten.
ClusterName=$CLUSTER
SlurmctldHost=$(short_hostname)($(controller_addr))
SlurmUser=root
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_DIR/munge.socket.2
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$ETC/jwt_hs256.key
StateSaveLocation=$SPOOL_CTLD
SlurmdSpoolDir=$SPOOL_D
SlurmctldPidFile=$RUND/slurmctld.pid
SlurmctldLogFile=$LOGD/slurmctld.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=$DBD_PORT
# With slurmdbd this names the munge socket for talking to it; left out, clients use /run/munge's.
AccountingStoragePass=$MUNGE_DIR/munge.socket.2
# The operator's tag is the job comment: slurmdbd keeps it only when asked to.
AccountingStoreFlags=job_comment
EOF
  # These */none plugins no longer exist after 22.05.
  [[ $VER != 22.05 ]] || printf '%s\n' JobCompType=jobcomp/none SwitchType=switch/none
  cat <<EOF
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
# Slurm's default, as at sites: slurmctld forgets a finished job after 5 min; slurmdbd keeps it.
MinJobAge=300
# Slurm's default is 10,000 jobs; dev/bench-scale holds tens of thousands of pending ones.
MaxJobCount=100000
# Distinct job ids per cluster: all of them write slurm-%j.out into the same /home/daskjob.
FirstJobId=${VER/./}0001
KillWait=5
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=60
# The machine may have fewer cores than declared here.
SlurmdParameters=config_overrides
EOF
  render_nodes_conf
}

# Creates directories and keys and writes the config; returns 0 if a configuration file changed.
write_config() {
  local changed=1
  install -d -m 755 "$SDIR"
  if [[ $ISOLATION == none ]]; then
    install -d -m 755 "$ETC" "$SPOOL_D" "$LOGD" "$RUND"
    install -d -m 700 "$SPOOL_CTLD"
    install -d -m 755 -o munge -g munge "$MUNGE_DIR"
  else
    install -d -m 755 "$ROOT$ETC" "$ROOT$SPOOL_D" "$ROOT$LOGD" "$ROOT$RUND"
    install -d -m 700 "$ROOT$SPOOL_CTLD"
    run_in install -d -m 755 -o munge -g munge "$MUNGE_DIR" /var/log/munge /var/lib/munge
  fi
  if [[ ! -s $ROOT$MUNGE_KEY ]]; then
    (umask 077 && dd if=/dev/urandom bs=1024 count=1 of="$ROOT$MUNGE_KEY" 2>/dev/null)
  fi
  run_in chown munge:munge "$MUNGE_KEY"
  chmod 400 "$ROOT$MUNGE_KEY"
  if [[ ! -s $ROOT$ETC/jwt_hs256.key ]]; then
    (umask 077 && dd if=/dev/urandom bs=32 count=1 of="$ROOT$ETC/jwt_hs256.key" 2>/dev/null)
  fi
  render_slurm_conf | write_if_changed "$ROOT$CONF" 644 && changed=0
  render_slurmdbd_conf | write_if_changed "$ROOT$ETC/slurmdbd.conf" 600 && changed=0
  if [[ $ISOLATION != none ]]; then # slurmd 24.11+ loads a cgroup plugin even with proctrack/linuxproc + task/none
    echo 'CgroupPlugin=disabled' | write_if_changed "$ROOT$ETC/cgroup.conf" 644 && changed=0
  fi
  return "$changed"
}

# slurmrestd's plugin arguments: 22.05 selects API versions with -s openapi/v0.0.3x; 23.02+ with
# -d data_parser/... . Everything offered is loaded, slurmdbd's endpoints (/slurmdb/) included.
detect_rest_args() {
  local out parsers s
  out=$(run_in /usr/sbin/slurmrestd -u "$REST_USER" -d list 2>&1) || true
  parsers=$(grep -o 'data_parser/v[0-9.]*[0-9]' <<<"$out" | sort -rVu | paste -sd,) || true
  if [[ -n $parsers ]]; then
    out=$(run_in /usr/sbin/slurmrestd -u "$REST_USER" -s list 2>&1) || true
    s=openapi/slurmctld,openapi/slurmdbd
    grep -qw 'openapi/util' <<<"$out" && s+=,openapi/util
    REST_ARGS=(-s "$s" -d "$parsers")
    REST_API=${parsers%%,*}
  else
    out=$(run_in /usr/sbin/slurmrestd -u "$REST_USER" -s list 2>&1) || true
    s=$(grep -Eo 'openapi/(db)?v0\.0\.[0-9]+' <<<"$out" | sort -rVu | paste -sd,) || true
    [[ -n $s ]] || die "cannot list slurmrestd plugins: $out"
    REST_ARGS=(-s "$s")
    REST_API=$(grep -Eo 'openapi/v0\.0\.[0-9]+' <<<"${s//,/$'\n'}" | head -1)
  fi
  REST_API=${REST_API##*/}
  printf '%s\n' "$REST_API" >"$SDIR/rest-api"
}

# --- daemons -----------------------------------------------------------------------------------------
start_daemon() {
  local name=$1 log port=''
  if [[ $name == slurmd ]] && multi_node; then
    start_nodes_slurmd
    return
  fi
  log=$(logfile_of "$name")
  case $name in
  slurmctld) port=$CTLD_PORT ;;
  slurmd) port=$SLURMD_PORT ;;
  slurmdbd) port=$DBD_PORT ;;
  slurmrestd) port=$REST_PORT ;;
  esac
  # A stopped daemon's listening socket can outlive its process for a moment (seen under gVisor).
  if [[ -n $port ]] && ! wait_until 10 port_free "$port"; then
    die "cannot start $name: port $port on 127.0.0.1 is already in use by another process"
  fi
  case $name in
  munged) # own socket, key and pid file: never the host's /run/munge
    local errs=$ROOT$LOGD/munged-start.log
    (detach_from_caller && run_in runuser -u munge -- /usr/sbin/munged "--socket=$MUNGE_DIR/munge.socket.2" \
      "--key-file=$MUNGE_KEY" "--pid-file=$MUNGE_DIR/munged.pid" "--log-file=$MUNGE_LOG" "--seed-file=$MUNGE_SEED") \
      </dev/null >>"$errs" 2>&1 || die "munged did not start" "$log" "$errs"
    ;;
  slurmdbd)
    (detach_from_caller && run_in /usr/sbin/slurmdbd) </dev/null >>"$log" 2>&1 || die "slurmdbd did not start" "$log"
    ;;
  slurmctld) # -i: the first start has no state files; later starts still recover jobs
    (detach_from_caller && run_in /usr/sbin/slurmctld -i) </dev/null >>"$log" 2>&1 || die "slurmctld did not start" "$log"
    ;;
  slurmd) # -N: the node is called vm whatever the machine's hostname
    (detach_from_caller && run_in /usr/sbin/slurmd -N "$NODE") </dev/null >>"$log" 2>&1 || die "slurmd did not start" "$log"
    ;;
  slurmrestd)
    detect_rest_args
    local pidf=$ROOT$RUND/slurmrestd.pid argv
    argv=(/usr/sbin/slurmrestd -u "$REST_USER" -a rest_auth/jwt "${REST_ARGS[@]}" "127.0.0.1:$REST_PORT")
    case $ISOLATION in
    chroot) argv=(chroot "$ROOT" "${argv[@]}") ;;
    ns) argv=(nsenter --mount="$NS_PIN" -- "${argv[@]}") ;; # no fork: slurmrestd keeps the wrapper's PID
    esac
    rm -f "$pidf"
    # slurmrestd stays in the foreground: the wrapper shell writes its own PID, then becomes slurmrestd.
    # SLURM_JWT=daemon: without it every request is rejected with 401.
    # shellcheck disable=SC2016 # expanded by the wrapper shell
    (detach_from_caller && exec env -i "${CLEAN_ENV[@]}" SLURM_JWT=daemon setsid /bin/bash -c 'echo $$ >"$0"; exec "$@"' \
      "$pidf" "${argv[@]}") </dev/null >>"$log" 2>&1 &
    ;;
  esac
  wait_until 15 is_running "$name" || die "$name did not stay up" "$log"
}

stop_daemon() {
  local name=$1 pid
  if [[ $name == slurmd ]] && multi_node; then
    stop_nodes_slurmd
    return
  fi
  if pid=$(daemon_pid "$name"); then stop_pid "$pid" "$name" "$STOP_TIMEOUT"; fi
  rm -f "$ROOT$(pidfile_of "$name")"
}

nodes_ready() { # every node idle, or busy with jobs that survived a restart
  local states
  # -N prints a node once per partition it is in: count each node once.
  states=$(run_in sinfo -h -N -n "$(node_list)" -o '%N %t' 2>/dev/null | sort -u) || return 1
  [[ $(wc -l <<<"$states") == "$(node_count)" ]] && ! grep -Evq ' (idle|mix|alloc)$' <<<"$states"
}

mint_token() { # USER : writes the token file (0600, no trailing newline)
  local user=$1 f out
  f=$(token_file "$user")
  out=$(run_in scontrol token "username=$user" "lifespan=$TOKEN_LIFESPAN" 2>&1) ||
    die "scontrol token username=$user failed: $out" "$(logfile_of slurmctld)"
  [[ $out == SLURM_JWT=* ]] || die "unexpected output from scontrol token: $out"
  (umask 077 && printf '%s' "${out#SLURM_JWT=}" >"$f.tmp")
  mv -f "$f.tmp" "$f"
}
token_fresh() { # USER : exists, younger than a day and newer than the jwt key
  local f
  f=$(token_file "$1")
  [[ -s $f && $f -nt $ROOT$ETC/jwt_hs256.key ]] && [[ -z $(find "$f" -mmin +1440) ]]
}

rest_code() { # PATH : HTTP status of an authenticated GET as the job user (token kept off the command line)
  local tok
  tok=$(<"$(token_file "$JOB_USER")")
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 -K - "http://127.0.0.1:$REST_PORT$1" <<EOF || true
header = "X-SLURM-USER-NAME: $JOB_USER"
header = "X-SLURM-USER-TOKEN: $tok"
EOF
}
rest_ok() { [[ $(rest_code "$1") == 200 ]]; }

active_jobs() { run_in squeue -h -o %i 2>/dev/null; }
no_active_jobs() { [[ -z $(active_jobs) ]]; }

