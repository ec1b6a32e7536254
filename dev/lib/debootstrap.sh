# shellcheck shell=bash
# dev/lib/debootstrap.sh: Debian roots made with debootstrap, shared by dev/local-slurm (the 24.11 and 26.05
# roots) and dev/local-kube (the sid build root). Needs common.sh.

# ROOT SUITE LOG : a minbase SUITE root in ROOT, made once: a marker says it is complete, and a partial root
# left by an interrupted run is unmounted and removed first.
debootstrap_root() {
  local root=$1 suite=$2 log=$3 marker=$1/.dask-mpi-local/debootstrap.done mirror t0
  [[ ! -e $marker ]] || return 0
  if [[ -e $root ]]; then
    say "removing the partial root $root"
    umount_all "$root"
    [[ -z $(mounts_under "$root") ]] || die "cannot unmount everything under $root"
    rm -rf --one-file-system "$root"
  fi
  mirror=$(host_mirror) t0=$(now)
  say "debootstrap --variant=minbase $suite into $root from $mirror (log: $log)"
  mkdir -p "$root" "${log%/*}"
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$log" 2>&1 ||
    die "debootstrap $suite failed" "$log" "$root/debootstrap/debootstrap.log"
  mkdir -p "${marker%/*}"
  touch "$marker"
  say "debootstrap done ($(since "$t0") s)"
}

# ROOT : package scripts start no daemons; apt installs no recommends and accepts sid's expired Release
# file (the mirror's sid snapshot may carry one); the host's resolver.
configure_root_apt() {
  local root=$1
  printf '#!/bin/sh\nexit 101\n' | write_if_changed "$root/usr/sbin/policy-rc.d" 755 || true
  write_if_changed "$root/etc/apt/apt.conf.d/90dask-mpi-local" 644 <<'APT' || true
Acquire::Check-Valid-Until "false";
Acquire::Languages "none";
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Dpkg::Options { "--force-confdef"; "--force-confold"; };
APT
  [[ ! -L $root/etc/resolv.conf ]] || rm -f "$root/etc/resolv.conf"
  write_if_changed "$root/etc/resolv.conf" 644 </etc/resolv.conf || true
}
