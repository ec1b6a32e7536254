# shellcheck shell=bash disable=SC2034 # the variables set here are used by the other slurm-*.sh
# dev/lib/slurm-layout.sh (sourced by dev/local-slurm): where each version's files, ports and processes are,
# how to run a command inside a version's root, and how to tell our daemons from anyone else's.

readonly HOST_PKGS=(slurm-wlm slurmrestd slurmdbd slurm-wlm-jwt-plugin munge python3-distributed mpich libpmix-dev curl)
# hostname: jobs call it; minbase has it today, but it is no longer Essential.
readonly CHROOT_PKGS=(slurm-wlm slurmrestd slurmdbd slurm-wlm-jwt-plugin munge python3-distributed default-jre-headless
  mpich libpmix-dev hostname)
# Only sid packages apptainer. squashfuse (mounts a SIF unprivileged) and fuse2fs are not its dependencies.
# openmpi-bin: Open MPI's mpiexec is a tested launcher of the runtime (across nodes too).
readonly NS_EXTRA_PKGS=(apptainer squashfuse fuse2fs openmpi-bin)

# Paths below are as seen by the daemons (inside ROOT); on the host prefix them with $ROOT.
# ISOLATION: none (host), chroot (chroot(8)), ns (a private mount namespace entered through the pin NS_PIN).
use_version() {
  VER=$1
  SAY_PREFIX="local-slurm [$VER]"
  SDIR=$BASE/$VER # tokens and REST plugin cache; for 22.05 the whole cluster state
  NS_PIN=''
  case $VER in
  22.05) SUITE=bookworm PORT0=6817 ROOT='' ISOLATION=none ;;
  24.11) SUITE=trixie PORT0=6917 ROOT=$BASE/chroots/trixie ISOLATION=chroot ;;
  26.05) SUITE=sid PORT0=7017 ROOT=$BASE/chroots/sid ISOLATION=ns NS_PIN=$BASE/ns/$VER.mnt ;;
  *) no_version && die "unknown Slurm version '$1' (choose 22.05, 24.11, 26.05 or all)" ;;
  esac
  CTLD_PORT=$PORT0 SLURMD_PORT=$((PORT0 + 1)) DBD_PORT=$((PORT0 + 2)) REST_PORT=$((PORT0 + 3))
  CLUSTER=slurm${VER/./}
  ROOT_PKGS=("${CHROOT_PKGS[@]}")
  [[ $ISOLATION != ns ]] || ROOT_PKGS+=("${NS_EXTRA_PKGS[@]}")
  case $ISOLATION in
  none)
    ETC=$SDIR/etc SPOOL_CTLD=$SDIR/spool/slurmctld SPOOL_D=$SDIR/spool/slurmd LOGD=$SDIR/log RUND=$SDIR/run
    MUNGE_DIR=$SDIR/munge MUNGE_KEY=$SDIR/munge/munge.key MUNGE_LOG=$SDIR/munge/munged.log
    MUNGE_SEED=$SDIR/munge/munged.seed
    ;;
  *)
    ETC=/etc/slurm SPOOL_CTLD=/var/spool/slurmctld SPOOL_D=/var/spool/slurmd LOGD=/var/log/slurm RUND=/run/slurm
    MUNGE_DIR=/run/munge MUNGE_KEY=/etc/munge/munge.key MUNGE_LOG=/var/log/munge/munged.log
    MUNGE_SEED=/var/lib/munge/munged.seed
    ;;
  esac
  if [[ $ISOLATION == ns ]]; then
    # The namespace has a tmpfs on /run, which the host cannot see: PID files and the munge socket stay on
    # the root's disk, so the host checks them without entering the namespace.
    RUND=/var/lib/local-slurm/run MUNGE_DIR=/var/lib/local-slurm/munge
  fi
  CONF=$ETC/slurm.conf
  # Every command gets a clean environment; the marker tells our daemons apart from anyone else's.
  CLEAN_ENV=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root
    "SLURM_CONF=$CONF" "DASKMPI_LOCAL_SLURM=$VER")
}

run_in() { # CMD... : run inside this version's root with a clean environment, without the lock fd
  case $ISOLATION in
  ns) env -i "${CLEAN_ENV[@]}" nsenter --mount="$NS_PIN" -- "$@" 9>&- ;;
  chroot) env -i "${CLEAN_ENV[@]}" chroot "$ROOT" "$@" 9>&- ;;
  *) env -i "${CLEAN_ENV[@]}" "$@" 9>&- ;;
  esac
}

pidfile_of() {
  case $1 in
  munged) printf '%s' "$MUNGE_DIR/munged.pid" ;;
  *) printf '%s' "$RUND/$1.pid" ;;
  esac
}
logfile_of() {
  case $1 in
  munged) printf '%s' "$ROOT$MUNGE_LOG" ;;
  slurmd) if multi_node; then printf '%s' "$ROOT$NODE_STATE/${NODES[0]}/log/slurmd.log"; else printf '%s' "$ROOT$LOGD/slurmd.log"; fi ;;
  *) printf '%s' "$ROOT$LOGD/$1.log" ;;
  esac
}
token_file() { printf '%s' "$SDIR/token-$1"; }

# The mount namespace id of ROOT's namespace, as /proc/PID/ns/mnt names it ('' when there is none).
ns_id() {
  local ino
  [[ $ISOLATION == ns ]] && ns_live || return 1
  ino=$(stat -L -c %i "$NS_PIN" 2>/dev/null) || return 1
  printf 'mnt:[%s]' "$ino"
}

# Prints PID if it is daemon NAME of this version, started by this script: its binary, its root (chroot)
# or mount namespace (ns), and the marker variable match. Guards against PID reuse and other clusters.
# MODE chroot checks a chroot(8) daemon even for the ns version (left over from before the namespace).
is_our_daemon() { # PID NAME [MODE]
  local pid=$1 name=$2 mode=${3:-$ISOLATION} exe root want_root=${ROOT:-/} prefix=$ROOT id
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  exe=${exe% (deleted)}
  if [[ $mode == ns ]]; then
    # Seen from the host, a pivot_root'd process's binary has its in-namespace path.
    id=$(ns_id) || return 1
    [[ $(readlink "/proc/$pid/ns/mnt" 2>/dev/null) == "$id" ]] || return 1
    prefix=''
  else
    root=$(readlink "/proc/$pid/root" 2>/dev/null) || return 1
    [[ $root == "$want_root" ]] || return 1
  fi
  # Debian installs slurmctld/slurmd as alternatives for slurmctld-wlm/slurmd-wlm.
  [[ $exe == "$prefix/usr/sbin/$name" || $exe == "$prefix/usr/sbin/$name-wlm" ]] || return 1
  has_env_marker "$pid" "DASKMPI_LOCAL_SLURM=$VER"
}

read_pid() { # FILE : prints the PID it holds
  local pid
  [[ -r $1 ]] || return 1
  pid=$(<"$1") || return 1
  pid=${pid//[[:space:]]/}
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  printf '%s' "$pid"
}

# Prints the PID of daemon NAME if it runs and is ours.
daemon_pid() {
  local pid
  if [[ $1 == slurmd ]] && multi_node; then
    nodes_slurmd_running
    return
  fi
  pid=$(read_pid "$ROOT$(pidfile_of "$1")") || return 1
  is_our_daemon "$pid" "$1" || return 1
  printf '%s' "$pid"
}
is_running() { daemon_pid "$1" >/dev/null; }
