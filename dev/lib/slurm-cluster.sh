# shellcheck shell=bash
# dev/lib/slurm-cluster.sh (sourced by dev/local-slurm): up, down, status and env of one version.

cluster_up() {
  local t0 started=() d api
  t0=$(now)
  [[ -z $ROOT ]] || prepare_chroot
  local was_nodes want_nodes
  was_nodes=$(cat "$SDIR/nodes" 2>/dev/null) || was_nodes=1
  want_nodes=$(node_count)
  if write_config; then
    local running=()
    for d in slurmrestd slurmctld slurmdbd; do is_running "$d" && running+=("$d"); done
    if ((${#running[@]})); then
      say "configuration changed: restarting ${running[*]}"
      for d in "${running[@]}"; do stop_daemon "$d"; done
    fi
    # Every slurmd of the node layout that was, also when some of them are down (a count change
    # rewrites the configuration too).
    use_nodes "$was_nodes"
    stop_daemon slurmd
    use_nodes "$want_nodes"
  fi
  if [[ $ISOLATION == ns ]]; then # only 26.05 has nodes; another version's up leaves them alone
    if multi_node; then nodes_net_up; else nodes_net_down || true; fi
    write_node_names
  fi
  record_nodes
  for d in munged slurmdbd slurmctld slurmd; do
    if ! is_running "$d"; then
      say "starting $d"
      start_daemon "$d"
      started+=("$d")
    fi
    # slurmctld registers with slurmdbd at start: the cluster must exist by then.
    [[ $d != slurmdbd ]] || register_cluster
  done
  wait_until 30 nodes_ready || die "$(node_list) did not become idle: $(run_in sinfo -h -N -o '%N %t %E' 2>&1 || true)" \
    "$(logfile_of slurmctld)" "$(logfile_of slurmd)"
  ! multi_node || nodes_reach_each_other
  token_fresh "$JOB_USER" || mint_token "$JOB_USER"
  if ! is_running slurmrestd; then
    say "starting slurmrestd on 127.0.0.1:$REST_PORT"
    start_daemon slurmrestd
    started+=(slurmrestd)
  fi
  api=$(cat "$SDIR/rest-api" 2>/dev/null) || { detect_rest_args && api=$REST_API; }
  local deadline=$((SECONDS + 20))
  until rest_ok /openapi/v3; do
    is_running slurmrestd || die "slurmrestd exited" "$(logfile_of slurmrestd)"
    ((SECONDS < deadline)) ||
      die "GET /openapi/v3 answers $(rest_code /openapi/v3), not 200" "$(logfile_of slurmrestd)"
    sleep 0.1
  done
  # ping, not a job listing: with ten thousand jobs on the cluster a listing takes longer than curl waits.
  rest_ok "/slurm/$api/ping" ||
    die "GET /slurm/$api/ping answers $(rest_code "/slurm/$api/ping"), not 200" "$(logfile_of slurmrestd)" \
      "$(logfile_of slurmctld)"
  if ((${#started[@]})); then # a quick end-to-end check, only when something was (re)started
    # One task per node on a multi-node cluster: every node must run one and name itself.
    local out n=3 spread=()
    multi_node && n=$(node_count) spread=(-N "$n")
    out=$(run_in runuser -u "$JOB_USER" -- timeout 60 srun "${spread[@]}" -n "$n" -D /tmp -t 1 uname -n 2>&1) ||
      die "srun -n $n as $JOB_USER failed: $out" "$(logfile_of slurmd)"
    [[ $(wc -l <<<"$out") == "$n" ]] || die "srun -n $n gave unexpected output: $out"
    if multi_node && [[ $(sort -u <<<"$out" | paste -sd' ') != "$(printf '%s\n' "${NODES[@]}" | sort | paste -sd' ')" ]]; then
      die "srun -N $n ran on '$(paste -sd' ' <<<"$out")', not on one task per node (${NODES[*]})"
    fi
    say "srun ${spread[*]:+${spread[*]} }-n $n as $JOB_USER ok"
  fi
  local where="slurmd $SLURMD_PORT"
  multi_node && where="$(node_count) nodes $(node_list) on $NODE_NET.0/24, slurmd $SLURMD_PORT each"
  say "up: rest http://127.0.0.1:$REST_PORT ($api), ctld $CTLD_PORT, $where ($(since "$t0") s)"
}

restart_daemon() { # NAME : what an outage and a site's restart look like to the operator
  local t0
  t0=$(now)
  stop_daemon "$1"
  start_daemon "$1"
  case $1 in
  slurmrestd) wait_until 20 rest_ok /openapi/v3 || die "slurmrestd does not answer" "$(logfile_of slurmrestd)" ;;
  slurmd | slurmctld) wait_until 30 nodes_ready || die "$(node_list) did not come back" "$(logfile_of slurmctld)" ;;
  slurmdbd) wait_until 60 port_in_use "$DBD_PORT" || die "slurmdbd does not listen" "$(logfile_of slurmdbd)" ;;
  esac
  say "$1 restarted ($(since "$t0") s)"
}

cluster_down() {
  local jobs d rest
  if is_running slurmctld; then
    jobs=$(active_jobs | paste -sd' ') || true
    if [[ -n $jobs ]]; then
      say "cancelling jobs $jobs"
      # shellcheck disable=SC2086 # one argument per job id
      run_in scancel $jobs || true
      wait_until 20 no_active_jobs || say "warning: jobs still active: $(active_jobs | paste -sd' ')"
    fi
  fi
  for d in slurmrestd slurmd slurmctld slurmdbd munged; do stop_daemon "$d"; done
  local nodes_left=0
  if [[ $ISOLATION == ns ]]; then nodes_net_down || nodes_left=1; fi
  case $ISOLATION in
  chroot)
    if [[ -d $ROOT ]]; then
      rest=$(procs_in_root)
      if [[ -n $rest ]]; then
        say "warning: processes still run in $ROOT (not started by this script or job leftovers): $rest"
      else
        umount_all "$ROOT"
      fi
    fi
    ;;
  ns)
    [[ ! -d $ROOT ]] || legacy_chroot_cleanup
    # A process left on a node lives in a child of the namespace: keep the namespace for it.
    if ((nodes_left)); then say "warning: keeping the mount namespace: processes still run on a node"; else ns_release || true; fi
    ;;
  esac
  say "down"
}

cluster_status() { # prints one line; returns 0 if every daemon runs
  local d up=() down=() state where
  for d in "${DAEMONS[@]}"; do
    if is_running "$d"; then up+=("$d"); else down+=("$d"); fi
  done
  if ((${#down[@]} == 0)); then
    state=up
  elif ((${#up[@]} == 0)); then
    state=down
  else
    state="partial (down: ${down[*]})"
  fi
  case $ISOLATION in
  none) where="native, conf $CONF" ;;
  chroot) where="chroot $ROOT" ;;
  ns)
    where="root $ROOT in a mount namespace"
    if ns_live; then where+=" (pin $NS_PIN)"; else where+=" (none now)"; fi
    ;;
  esac
  [[ -z $ROOT || -e $ROOT/.dask-mpi-local/debootstrap.done ]] || where+=" (not installed)"
  multi_node && where+=", nodes $(node_list) on $NODE_NET.0/24"
  printf '%s %s  rest=http://127.0.0.1:%s ctld=%s slurmd=%s dbd=%s api=%s  %s\n' "$VER" "$state" \
    "$REST_PORT" "$CTLD_PORT" "$SLURMD_PORT" "$DBD_PORT" "$(cat "$SDIR/rest-api" 2>/dev/null || echo -)" "$where"
  [[ $state == up ]]
}

print_env() {
  # One place to add variables: later issues append to this list.
  local vars=(
    "DASKMPI_SLURM_URL=http://127.0.0.1:$REST_PORT"
    "DASKMPI_SLURM_USER=$JOB_USER"
    "DASKMPI_SLURM_TOKEN_FILE=$(token_file "$JOB_USER")"
    "DASKMPI_SLURM_WORKDIR=$JOB_HOME"
    # A second user, and the key that signs tokens for any user (tests of a user per namespace).
    "DASKMPI_SLURM_PEER_USER=$PEER_USER"
    "DASKMPI_SLURM_PEER_WORKDIR=$PEER_HOME"
    "DASKMPI_SLURM_JWT_KEY_FILE=$ROOT$ETC/jwt_hs256.key"
    "DASKMPI_SLURM_VERSION=$VER"
    # /opt/dask-mpi is the same path on the host and in the roots (bind-mounted read-only).
    "DASKMPI_RUNTIME_COMMAND=java -jar $OPT_DIR/dask-mpi-runtime.jar"
  )
  # The job image (dev/local-slurm build-image); only 26.05's jobs can run apptainer.
  [[ $ISOLATION != ns || ! -f $OPT_DIR/dask-mpi.sif ]] || vars+=("DASKMPI_IMAGE=$OPT_DIR/dask-mpi.sif")
  # The folder that `exec` sees at the same path as the host (files for the operator image, say).
  [[ $ISOLATION != ns ]] || vars+=("DASKMPI_LOCAL_EXCHANGE=$EXCHANGE")
  # The nodes of a multi-node cluster, by name (each resolves on the host and in the root).
  ! multi_node || vars+=("DASKMPI_SLURM_NODES=${NODES[*]}")
  [[ -n $ROOT ]] || vars+=("SLURM_CONF=$CONF") # client commands on the host find the 22.05 cluster
  local kv line=export
  for kv in "${vars[@]}"; do line+=" ${kv%%=*}=$(printf '%q' "${kv#*=}")"; done
  printf '%s\n' "$line"
}

