# shellcheck shell=bash
# dev/lib/common.sh: functions shared by the dev/ scripts (output, waiting, packages, mounts, daemons).
# Source it; set SAY_PREFIX (what `say` prints first) and LOG_DIR (where apt logs go) before use.

# --- output and errors ------------------------------------------------------------------------------
say() { printf '%s: %s\n' "${SAY_PREFIX:-${0##*/}}" "$*" >&2; }
show_log() { # FILE [LINES]
  [[ -s $1 ]] || return 0
  printf -- '--- last lines of %s ---\n' "$1" >&2
  tail -n "${2:-20}" "$1" | sed 's/^/  /' >&2
}
die() { # MESSAGE [LOGFILE...]
  local msg=$1
  shift
  say "error: $msg"
  local f
  for f in "$@"; do show_log "$f"; done
  exit 1
}
on_err() { say "error: command failed (exit $1, line $2): $3"; }
CLEANUP=()
run_cleanup() {
  local c
  for c in "${CLEANUP[@]}"; do eval "$c" || true; done
}
install_traps() {
  trap 'on_err $? $LINENO "$BASH_COMMAND"' ERR
  trap run_cleanup EXIT
}

now() { printf '%s' "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

wait_until() { # SECONDS CMD... : poll every 0.1 s
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

need_root() { [[ $EUID -eq 0 ]] || die "must run as root"; }

# --- processes -----------------------------------------------------------------------------------------
pid_gone() {
  local st
  st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 0
  [[ $st == Z ]]
}
has_env_marker() { # PID NAME=VALUE : the process's environment holds exactly this variable
  local envs
  envs=$(tr '\0' '\n' <"/proc/$1/environ" 2>/dev/null) || return 1
  [[ $'\n'$envs$'\n' == *$'\n'"$2"$'\n'* ]]
}
stop_pid() { # PID NAME TIMEOUT : SIGTERM, then SIGKILL after TIMEOUT seconds
  local pid=$1 name=$2 timeout=$3
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_until "$timeout" pid_gone "$pid"; then
    say "$name ignored SIGTERM for ${timeout}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_until 5 pid_gone "$pid" || die "$name (pid $pid) does not die"
  fi
}
# In a daemon's subshell only, before it starts. No lock or pipe of the caller (a `$(dev/... up)` would
# never end), and / as the working directory: a daemon keeps the directory it started in, and once that is
# deleted (a test clone, a temp dir) Slurm 22.05's slurmrestd dies at its next job submit ("getcwd
# failed"), seen in CI.
detach_from_caller() {
  cd / || return 1
  local fd
  for fd in /proc/"$BASHPID"/fd/*; do
    fd=${fd##*/}
    if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_free() { ! port_in_use "$1"; }
take_lock() { # FILE
  install -d -m 755 "${1%/*}"
  exec 9>"$1"
  flock -w 1800 9 || die "another ${0##*/} holds $1"
}

# --- packages ------------------------------------------------------------------------------------------
missing_pkgs() { # ROOT PKG... : prints the packages not installed in ROOT ('' = host)
  local root=$1 have p
  shift
  have=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null) || true
  for p in "$@"; do
    grep -q "^$p ii" <<<"$have" || printf '%s\n' "$p"
  done
}

APT_OPTS=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
export DEBIAN_FRONTEND=noninteractive
HOST_APT_UPDATED=''
install_host_pkgs() { # PKG...
  local missing log=$LOG_DIR/apt-host.log created=''
  mapfile -t missing < <(missing_pkgs '' "$@")
  ((${#missing[@]})) || return 0
  mkdir -p "$LOG_DIR"
  if [[ -z $HOST_APT_UPDATED ]]; then
    say "host: apt-get update"
    apt-get update -q >"$log" 2>&1 || say "warning: apt-get update reported errors (see $log); trying anyway"
    HOST_APT_UPDATED=1
  fi
  local t0
  t0=$(now)
  say "host: installing ${missing[*]} (log: $log)"
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then # maintainer scripts must not start daemons (munged!)
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created=1
    CLEANUP+=("rm -f /usr/sbin/policy-rc.d")
  fi
  apt-get install "${APT_OPTS[@]}" "${missing[@]}" >>"$log" 2>&1 || die "apt-get install failed on the host" "$log"
  say "host: packages installed ($(since "$t0") s)"
  if [[ -n $created ]]; then
    rm -f /usr/sbin/policy-rc.d
    CLEANUP=()
  fi
}

# Debian's mirror as this machine's own apt sources name it; DASKMPI_DEBIAN_MIRROR overrides.
host_mirror() {
  local u=''
  if [[ -n ${DASKMPI_DEBIAN_MIRROR:-} ]]; then
    printf '%s' "$DASKMPI_DEBIAN_MIRROR"
    return
  fi
  if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
    u=$(awk '$1 == "URIs:" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
  fi
  if [[ -z $u && -r /etc/apt/sources.list ]]; then
    u=$(awk '$1 == "deb" && !/security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' \
      /etc/apt/sources.list)
  fi
  [[ -n $u ]] || die "no Debian mirror in this machine's apt sources (/etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list); set DASKMPI_DEBIAN_MIRROR"
  printf '%s' "$u"
}

# --- files and mounts ----------------------------------------------------------------------------------
write_if_changed() { # FILE MODE : content on stdin; returns 0 if the file was (re)written
  local new
  new=$(cat)
  if [[ -f $1 ]] && [[ "$(cat "$1")" == "$new" ]]; then return 1; fi
  (umask 077 && printf '%s\n' "$new" >"$1.tmp")
  chmod "$2" "$1.tmp"
  mv -f "$1.tmp" "$1"
}

mounts_under() { # DIR : mount points at or below DIR, deepest first
  awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}
umount_all() {
  local m
  while read -r m; do
    [[ -n $m ]] && { umount "$m" 2>/dev/null || umount -l "$m"; }
  done < <(mounts_under "$1")
}
