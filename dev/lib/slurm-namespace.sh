# shellcheck shell=bash
# dev/lib/slurm-namespace.sh (sourced by dev/local-slurm): the 26.05 root runs in a persistent private mount
# namespace with pivot_root instead of chroot(8). Apptainer's starter setns()es into the container's mount
# namespace, which resets the root and so escapes a chroot ("weak chrooted environment"); in a pivot_root'd
# namespace the root is the namespace's own. The namespace outlives its processes through a pin file (an
# nsfs bind mount) and is entered with `nsenter --mount=PIN`. The network namespace stays the host's.
# Facts: docs/local-lab.md §5.

# What a namespace made by this script contains; one made with other binds is remade when nothing runs in it.
ns_layout() {
  printf 'v2 home=%s peer=%s opt=%s:ro exchange=%s fuse=0666' "$JOB_HOME" "$PEER_HOME" "$OPT_DIR" "$EXCHANGE"
}

ns_live() { # the pin holds a namespace
  [[ -n $NS_PIN ]] || return 1
  awk -v f="$NS_PIN" '$5 == f && / - nsfs / { found = 1 } END { exit !found }' /proc/self/mountinfo
}
ns_current() { # live, and made with today's binds
  ns_live && [[ $(run_in cat /run/dask-mpi-local/layout 2>/dev/null) == "$(ns_layout)" ]]
}

procs_in_ns() { # PIDs of every process in the namespace
  local id p out=()
  id=$(ns_id) || return 0
  for p in /proc/[0-9]*; do
    [[ $(readlink "$p/ns/mnt" 2>/dev/null) == "$id" ]] && out+=("${p#/proc/}")
  done
  printf '%s' "${out[*]}"
}

# Runs inside the new namespace (a copy of the host's mounts, all private) before anything else: builds the
# root's mounts, then makes ROOT the namespace's root. Nothing here reaches the host's mount table.
ns_setup() { # ROOT JOB_HOME PEER_HOME OPT_DIR EXCHANGE LAYOUT
  set -Eeuo pipefail
  local r=$1 home=$2 peer=$3 opt=$4 xchg=$5 layout=$6
  mount --bind "$r" "$r" # pivot_root needs the new root to be a mount point
  mount -t proc proc "$r/proc"
  mount -t sysfs -o ro sysfs "$r/sys"
  # Non-recursive: the host's devpts and /dev/shm stay outside; the namespace gets its own below.
  mount --bind /dev "$r/dev"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$r/dev/pts"
  mount -t tmpfs -o mode=1777,size=512m tmpfs "$r/dev/shm"
  mount -t tmpfs -o mode=755,size=64m tmpfs "$r/run"
  # /dev/fuse is 0600 on these hosts, so the job user could not mount a SIF (squashfuse). A 0666 node on
  # the namespace's own tmpfs, bound over /dev/fuse here only; the host's node stays as it is.
  mkdir -p "$r/run/dask-mpi-local/dev"
  mknod -m 666 "$r/run/dask-mpi-local/dev/fuse" c 10 229
  mount --bind "$r/run/dask-mpi-local/dev/fuse" "$r/dev/fuse"
  mount --bind "$home" "$r$home"
  mount --bind "$peer" "$r$peer"
  mount --bind "$opt" "$r$opt"
  mount -o remount,bind,ro "$r$opt"
  mount --bind "$xchg" "$r$xchg"
  printf '%s\n' "$layout" >"$r/run/dask-mpi-local/layout"
  cd "$r"
  pivot_root . .dask-mpi-local/old-root
  cd /
  umount -l /.dask-mpi-local/old-root # the host's tree leaves the namespace
}

ns_create() {
  local pindir=${NS_PIN%/*}
  [[ -c /dev/fuse ]] || die "no /dev/fuse on this host (modprobe fuse): apptainer needs it"
  install -d -m 700 "$pindir" "$EXCHANGE"
  chmod 700 "$EXCHANGE"
  # The pin must sit on a private mount, else unshare cannot bind the namespace onto it.
  mountpoint -q "$pindir" || mount --bind "$pindir" "$pindir"
  mount --make-private "$pindir"
  : >"$NS_PIN"
  mkdir -p "$ROOT/proc" "$ROOT/sys" "$ROOT/dev" "$ROOT/run" "$ROOT$JOB_HOME" "$ROOT$PEER_HOME" "$ROOT$OPT_DIR" "$ROOT$EXCHANGE" \
    "$ROOT/.dask-mpi-local/old-root"
  unshare --mount="$NS_PIN" --propagation private -- /bin/bash -c "$(declare -f ns_setup)"'; ns_setup "$@"' \
    ns_setup "$ROOT" "$JOB_HOME" "$PEER_HOME" "$OPT_DIR" "$EXCHANGE" "$(ns_layout)" 9>&- ||
    die "cannot set up the mount namespace of $ROOT"
  ns_live || die "the namespace pin $NS_PIN holds no namespace after unshare"
  say "mount namespace ready (pin $NS_PIN)"
}

# Drops the pin: the namespace goes when its last process ends. Only when nothing runs in it.
ns_release() {
  local rest
  ns_live || return 0
  rest=$(procs_in_ns)
  if [[ -n $rest ]]; then
    say "warning: processes still run in the namespace of $ROOT (job leftovers or exec): $rest; keeping it"
    return 1
  fi
  umount "$NS_PIN" || umount -l "$NS_PIN"
  rm -f "$NS_PIN"
  if [[ -z $(find "${NS_PIN%/*}" -maxdepth 1 -name '*.mnt' -print -quit) ]] && mountpoint -q "${NS_PIN%/*}"; then
    umount "${NS_PIN%/*}" || true
  fi
  say "mount namespace released"
}

# Daemons of this version that an earlier dev/local-slurm started with chroot(8) (before 26.05 moved into a
# namespace), and the host-side mounts that chroot needed: stopped and unmounted, by their PID files.
legacy_chroot_cleanup() {
  local d f pid rest
  for d in slurmrestd slurmd slurmctld munged; do
    case $d in munged) f=$ROOT/run/munge/munged.pid ;; *) f=$ROOT/run/slurm/$d.pid ;; esac
    pid=$(read_pid "$f") || continue
    if is_our_daemon "$pid" "$d" chroot; then stop_pid "$pid" "$d (chroot)" "$STOP_TIMEOUT"; fi
    rm -f "$f"
  done
  [[ -n $(mounts_under "$ROOT") ]] || return 0
  rest=$(procs_in_root)
  [[ -z $rest ]] || die "processes still run chrooted in $ROOT: $rest (not started by this script?)"
  umount_all "$ROOT"
}

ns_ensure() {
  if ns_live; then
    ns_current && return 0
    say "the namespace was made with other mounts: remaking it"
    ns_release || return 0
  fi
  legacy_chroot_cleanup
  ns_create
}

# `dev/local-slurm exec`: root's command inside the namespace, in the exchange folder. APPTAINER_DROP_CAPS:
# root here lacks CAP_SYS_RESOURCE in its bounding set, and apptainer asks for it unless told not to.
ns_exec() { # CMD...
  if [[ $ISOLATION != ns ]]; then # 22.05 (host) and 24.11 (chroot): their clean environment and root
    is_running slurmctld || die "the $VER cluster is not up (dev/local-slurm up --slurm $VER)"
    exec env -i "${CLEAN_ENV[@]}" ${ROOT:+chroot "$ROOT"} "$@" 9>&-
  fi
  ns_live || die "no namespace for $VER yet: dev/local-slurm up --slurm $VER"
  # shellcheck disable=SC2016 # expanded by the shell inside
  exec env -i "${CLEAN_ENV[@]}" APPTAINER_DROP_CAPS=CAP_SYS_RESOURCE nsenter --mount="$NS_PIN" -- \
    /bin/sh -c 'cd "$0" && exec "$@"' "$EXCHANGE" "$@" 9>&-
}
