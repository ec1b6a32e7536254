# shellcheck shell=bash
# dev/lib/slurm-roots.sh (sourced by dev/local-slurm): the host's packages and users, and the debootstrap
# roots of 24.11 (used with chroot(8)) and 26.05 (used in a mount namespace, see slurm-namespace.sh).

short_hostname() {
  local h
  h=$(uname -n)
  printf '%s' "${h%%.*}"
}

ensure_user() { # WHERE(run_in|host) CREATE_HOME : the job users with fixed uids, and the slurmrest user
  local runner=$1 mkhome=$2
  if [[ $runner == host ]]; then runner='env'; fi
  if ! $runner getent passwd "$REST_USER" >/dev/null; then
    $runner useradd -r -M -d /nonexistent -s /usr/sbin/nologin "$REST_USER"
  fi
  ensure_job_user "$runner" "$mkhome" "$JOB_USER" "$JOB_UID" "$JOB_HOME"
  ensure_job_user "$runner" "$mkhome" "$PEER_USER" "$PEER_UID" "$PEER_HOME"
}

ensure_job_user() { # RUNNER CREATE_HOME USER UID HOME
  local runner=$1 mkhome=$2 user=$3 want=$4 home=$5 uid homeflag=-M
  if uid=$($runner id -u "$user" 2>/dev/null); then
    [[ $uid == "$want" ]] || die "user $user exists with uid $uid, expected $want"
    return 0
  fi
  $runner getent group "$user" >/dev/null || $runner groupadd -g "$want" "$user"
  [[ $mkhome != yes ]] || homeflag=-m
  $runner useradd -u "$want" -g "$user" "$homeflag" -d "$home" -s /bin/bash "$user"
}

ensure_hosts_line() { # FILE : NODE must resolve to 127.0.0.1
  grep -Eq "^[[:space:]]*127\.0\.0\.1[[:space:]](.*[[:space:]])?$NODE([[:space:]]|\$)" "$1" 2>/dev/null ||
    printf '127.0.0.1 %s\n' "$NODE" >>"$1"
}

HOST_READY=''
prepare_host() { # VERSION...
  [[ -z $HOST_READY ]] || return 0
  local pkgs=(curl) v
  for v in "$@"; do
    if [[ $v == 22.05 ]]; then pkgs+=("${HOST_PKGS[@]}"); else pkgs+=(debootstrap); fi
  done
  mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | awk '!seen[$0]++')
  install_host_pkgs "${pkgs[@]}"
  ensure_hosts_line /etc/hosts
  ensure_user host yes
  [[ -d $JOB_HOME ]] || install -d -o "$JOB_USER" -g "$JOB_USER" "$JOB_HOME"
  [[ -d $PEER_HOME ]] || install -d -o "$PEER_USER" -g "$PEER_USER" "$PEER_HOME"
  install -d -m 755 "$OPT_DIR"
  HOST_READY=1
}

# --- chroot(8) mounts (24.11) ----------------------------------------------------------------------------
ensure_mount() { # RELPATH MOUNT-ARGS...
  local d=$ROOT/$1
  shift
  mkdir -p "$d"
  mountpoint -q "$d" || mount "$@" "$d"
}
ensure_mounts() {
  ensure_mount proc -t proc proc
  ensure_mount sys -t sysfs -o ro sysfs
  # No bind of the host /dev: a private /dev/shm and a new devpts instance.
  ensure_mount dev/shm -t tmpfs -o mode=1777,size=512m tmpfs
  ensure_mount dev/pts -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts
  ensure_mount "${JOB_HOME#/}" --bind "$JOB_HOME"
  ensure_mount "${PEER_HOME#/}" --bind "$PEER_HOME"
  if ! mountpoint -q "$ROOT$OPT_DIR"; then
    ensure_mount "${OPT_DIR#/}" --bind "$OPT_DIR"
    mount -o remount,bind,ro "$ROOT$OPT_DIR"
  fi
}

# --- debootstrap roots -----------------------------------------------------------------------------------
prepare_chroot() {
  local marker=$ROOT/.dask-mpi-local/debootstrap.done log=$BASE/log/chroot-$SUITE.log missing
  [[ $ROOT == "$BASE"/chroots/* ]] || die "refusing to manage chroot outside $BASE/chroots: $ROOT"
  mkdir -p "$BASE/log"
  # A partial root's namespace must go before the root can be removed.
  if [[ ! -e $marker && -e $ROOT && $ISOLATION == ns ]]; then ns_release || true; fi
  debootstrap_root "$ROOT" "$SUITE" "$log"
  configure_root_apt "$ROOT"
  # The node names of a multi-node cluster (marked lines, see slurm-nodes.sh) stay.
  { printf '127.0.0.1 localhost\n127.0.0.1 %s %s\n::1 localhost ip6-localhost ip6-loopback\n' "$NODE" "$(short_hostname)" &&
    grep -F "$HOSTS_MARK" "$ROOT/etc/hosts" 2>/dev/null; } | write_if_changed "$ROOT/etc/hosts" 644 || true
  if [[ $ISOLATION == ns ]]; then ns_ensure; else ensure_mounts; fi
  mapfile -t missing < <(missing_pkgs "$ROOT" "${ROOT_PKGS[@]}")
  if ((${#missing[@]})); then
    local t0
    t0=$(now)
    say "apt-get install in the $SUITE root: ${missing[*]} (log: $log)"
    run_in apt-get update -q >>"$log" 2>&1 || die "apt-get update in the $SUITE root failed" "$log"
    run_in apt-get install "${APT_OPTS[@]}" "${missing[@]}" >>"$log" 2>&1 ||
      die "apt-get install in the $SUITE root failed" "$log"
    run_in apt-get clean >>"$log" 2>&1 || true
    say "packages installed ($(since "$t0") s)"
  fi
  ensure_user run_in no
}

chroot_needs_work() {
  [[ ! -e $ROOT/.dask-mpi-local/debootstrap.done ]] || [[ -n $(missing_pkgs "$ROOT" "${ROOT_PKGS[@]}") ]] ||
    ! run_in getent passwd "$PEER_USER" >/dev/null ||
    { [[ $ISOLATION == ns ]] && ! ns_current; } ||
    { [[ $ISOLATION != ns ]] && ! mountpoint -q "$ROOT$PEER_HOME"; }
}

# Builds the roots that need it side by side: downloads of one overlap with dpkg runs of the other.
prepare_chroots() { # VERSION...
  local v pids=() names=() i failed=()
  for v in "$@"; do
    use_version "$v"
    if [[ -n $ROOT ]] && chroot_needs_work; then
      prepare_chroot &
      pids+=($!) names+=("$v")
    fi
  done
  no_version
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || failed+=("${names[$i]}")
  done
  ((${#failed[@]} == 0)) || die "preparing the root for ${failed[*]} failed (see above)"
}

procs_in_root() { # PIDs whose root directory is ROOT (chroot(8) processes)
  local p r out=()
  for p in /proc/[0-9]*; do
    r=$(readlink "$p/root" 2>/dev/null) || continue
    [[ $r == "$ROOT" ]] && out+=("${p#/proc/}")
  done
  printf '%s' "${out[*]}"
}
