# shellcheck shell=bash
# dev/lib/slurm-nodes.sh (sourced by dev/local-slurm): the multi-node 26.05 cluster of `up --nodes N`.
#   Each node is one slurmd in three namespaces of its own: a network namespace (eth0 with 10.231.0.1X on a
#   private bridge that only these namespaces use: no forwarding, no NAT, nothing else routed there), a UTS
#   namespace (host name = node name) and a mount namespace, a child of the 26.05 one, with private slurmd
#   spool, PID and log directories, /tmp and /dev/shm. The root, /home/daskjob and /opt/dask-mpi stay shared,
#   as NFS would share them. slurmctld, slurmdbd, slurmrestd and munged stay in the host's network and reach
#   the nodes over the bridge (the host's end is 10.231.0.1); node names resolve through marked lines in
#   /etc/hosts, on the host and in the root. Facts: docs/local-lab.md §7.

readonly NODE_BRIDGE=daskmpi-br0 NODE_NET=10.231.0 MAX_NODES=16
readonly HOSTS_MARK='# dask-mpi-local node'
# Paths inside the 26.05 root: the node's own directories are bound over these in its namespace.
readonly NODE_STATE=/var/lib/local-slurm/nodes NODE_RUND=/var/lib/local-slurm/node NODE_LOGD=/var/log/slurm/node

NODES=() # the node names when this version runs multi-node; empty for the single node vm

use_nodes() { # [COUNT] : COUNT nodes from now on, or the count the last `up` recorded
  local n=${1:-}
  [[ -n $n ]] || n=$(cat "$SDIR/nodes" 2>/dev/null) || n=1
  if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 1 || n > MAX_NODES)); then die "--nodes must be 1 to $MAX_NODES, not '$n'"; fi
  ((n == 1)) || [[ $ISOLATION == ns ]] ||
    die "--nodes needs --slurm 26.05: only its root runs in namespaces of its own (22.05 and 24.11 are single-node)"
  NODES=()
  local i
  for ((i = 1; i <= n && n > 1; i++)); do NODES+=("node$i"); done
}
multi_node() { ((${#NODES[@]} > 1)); }
record_nodes() { printf '%s\n' "$(node_count)" >"$SDIR/nodes"; }
node_count() { if multi_node; then printf '%s' "${#NODES[@]}"; else printf 1; fi; }
# shellcheck disable=SC2153 # NODE is dev/local-slurm's single node (vm)
node_list() { if multi_node; then printf 'node[1-%s]' "${#NODES[@]}"; else printf '%s' "$NODE"; fi; }
node_addr() { printf '%s.%s' "$NODE_NET" "$((10 + ${1#node}))"; } # node3 -> 10.231.0.13
node_netns() { printf 'daskmpi-%s' "$1"; }
controller_addr() { if multi_node; then printf '%s.1' "$NODE_NET"; else printf 127.0.0.1; fi; }

# slurm.conf's node lines; the slurmd paths point at the directories each node's namespace makes private.
render_nodes_conf() {
  if ! multi_node; then
    printf 'SlurmdPidFile=%s/slurmd.pid\nSlurmdLogFile=%s/slurmd.log\n' "$RUND" "$LOGD"
    printf 'NodeName=%s NodeAddr=127.0.0.1 CPUs=8 RealMemory=16000 State=UNKNOWN\n' "$NODE"
  else
    printf 'SlurmdPidFile=%s/slurmd.pid\nSlurmdLogFile=%s/slurmd.log\n' "$NODE_RUND" "$NODE_LOGD"
    local n
    for n in "${NODES[@]}"; do
      printf 'NodeName=%s NodeAddr=%s CPUs=8 RealMemory=16000 State=UNKNOWN\n' "$n" "$(node_addr "$n")"
    done
  fi
  printf 'PartitionName=debug Nodes=%s Default=YES MaxTime=INFINITE State=UP\n' "$(node_list)"
  # Jobs wait here for ever (PartitionDown): dev/bench-scale parks thousands without running any.
  printf 'PartitionName=parked Nodes=%s MaxTime=INFINITE State=DOWN\n' "$(node_list)"
}

# --- names -------------------------------------------------------------------------------------------
node_hosts_lines() {
  local n
  if multi_node; then for n in "${NODES[@]}"; do printf '%s %s %s\n' "$(node_addr "$n")" "$n" "$HOSTS_MARK"; done; fi
}
# Rewrites FILE's marked lines in place (a container's /etc/hosts is often a bind mount: no rename).
write_hosts() { # FILE
  [[ -f $1 ]] || return 0
  { grep -vF "$HOSTS_MARK" "$1" || true; } >"$1.new"
  node_hosts_lines >>"$1.new"
  cmp -s "$1" "$1.new" || cat "$1.new" >"$1"
  rm -f "$1.new"
}

write_node_names() { # the host resolves node names for the operator, the root for slurmctld and the nodes
  write_hosts /etc/hosts
  [[ -z $ROOT ]] || write_hosts "$ROOT/etc/hosts"
}

# --- network -----------------------------------------------------------------------------------------
bridge_up() {
  local other
  # Never take a subnet that something else routes already.
  other=$(ip -4 route show to match "$NODE_NET.1" 2>/dev/null | grep -v "dev $NODE_BRIDGE" | grep -v '^default' || true)
  [[ -z $other ]] || die "$NODE_NET.0/24 is already routed on this machine ($other): the nodes' bridge needs it"
  if ! ip link show "$NODE_BRIDGE" >/dev/null 2>&1; then
    ip link add "$NODE_BRIDGE" type bridge || die "cannot create the bridge $NODE_BRIDGE (ip link add)"
  fi
  ip -4 addr show dev "$NODE_BRIDGE" | grep -q "inet $NODE_NET.1/24" || ip addr add "$NODE_NET.1/24" dev "$NODE_BRIDGE"
  ip link set "$NODE_BRIDGE" up
}

node_net_up() { # NODE
  local n=$1 ns veth
  ns=$(node_netns "$n") veth=dmpi-$n
  [[ -e /run/netns/$ns ]] || ip netns add "$ns"
  if ! ip link show "$veth" >/dev/null 2>&1; then
    ip link add "$veth" type veth peer name eth0 netns "$ns"
  fi
  ip link set "$veth" master "$NODE_BRIDGE"
  ip link set "$veth" up
  ip -n "$ns" link set lo up
  ip -n "$ns" -4 addr show dev eth0 | grep -q "inet $(node_addr "$n")/" || ip -n "$ns" addr add "$(node_addr "$n")/24" dev eth0
  ip -n "$ns" link set eth0 up
}

nodes_net_up() {
  local n
  bridge_up
  for n in "${NODES[@]}"; do node_net_up "$n"; done
  drop_node_netns " ${NODES[*]} " || true # nodes of a larger layout
}

# Node to node over the bridge: the last node opens a TCP connection to the first node's slurmd. Where
# br_netfilter sends bridged frames through iptables (Docker loads it, FORWARD policy DROP) this fails,
# while the controller still reaches every node; the sysctl alone does not tell (this machine says 1 and
# forwards). Called once the slurmds listen.
nodes_reach_each_other() {
  local first=${NODES[0]} last=${NODES[${#NODES[@]} - 1]}
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 5 ip netns exec "$(node_netns "$last")" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$(node_addr "$first")" \
    "$SLURMD_PORT" 2>/dev/null ||
    die "$last cannot reach $first over $NODE_BRIDGE (port $SLURMD_PORT); if bridged traffic goes through iptables (/proc/sys/net/bridge/bridge-nf-call-iptables = 1, as Docker sets it), accept $NODE_BRIDGE in FORWARD or set that sysctl to 0"
}

# The network namespace id of NODE as /proc/PID/ns/net names it.
node_net_id() { # NODE
  local ino
  ino=$(stat -L -c %i "/run/netns/$(node_netns "$1")" 2>/dev/null) || return 1
  printf 'net:[%s]' "$ino"
}
procs_on_node() { # NODE : PIDs of every process in the node's network namespace
  local id p out=()
  id=$(node_net_id "$1") || return 0
  for p in /proc/[0-9]*; do
    [[ $(readlink "$p/ns/net" 2>/dev/null) == "$id" ]] && out+=("${p#/proc/}")
  done
  printf '%s' "${out[*]}"
}
# Node namespaces left from an earlier `up --nodes` (any count): what `down` and a smaller `up` remove.
known_node_netns() { ip netns list 2>/dev/null | awk '$1 ~ /^daskmpi-node[0-9]+$/ { print $1 }'; }

# Removes the namespaces and veths of the nodes not named in KEEP (" node1 node2 "); keeps one something
# still runs in, and then returns 1.
drop_node_netns() { # KEEP
  local ns n rest kept=0
  while read -r ns; do
    [[ -n $ns ]] || continue
    n=${ns#daskmpi-}
    [[ $1 != *" $n "* ]] || continue
    rest=$(procs_on_node "$n")
    if [[ -n $rest ]]; then
      say "warning: processes still run on $n: $rest; keeping its namespace"
      kept=1
      continue
    fi
    ip link del "dmpi-$n" 2>/dev/null || true
    ip netns del "$ns"
  done < <(known_node_netns)
  return "$kept"
}

# Removes every node's namespace, the bridge and the host names; returns 1 if a node namespace stays.
nodes_net_down() {
  local kept=0
  drop_node_netns ' ' || kept=1
  if ((kept == 0)) && ip link show "$NODE_BRIDGE" >/dev/null 2>&1; then ip link del "$NODE_BRIDGE"; fi
  local saved=("${NODES[@]}")
  NODES=()
  write_node_names
  NODES=("${saved[@]}")
  return "$kept"
}

# --- slurmd per node ---------------------------------------------------------------------------------
# Runs in the node's new mount and UTS namespaces (inside the 26.05 one, in the node's network).
node_setup() { # NODE STATE RUND LOGD SPOOL
  set -Eeuo pipefail
  local n=$1 d=$2/$1
  hostname "$n"
  mount --bind "$d/spool" "$5"
  mount --bind "$d/run" "$3"
  mount --bind "$d/log" "$4"
  mount --bind "$d/tmp" /tmp
  mount -t tmpfs -o mode=1777,size=512m tmpfs /dev/shm
  exec /usr/sbin/slurmd -N "$n"
}

node_slurmd_pid() { # NODE
  local n=$1 pid exe
  pid=$(read_pid "$ROOT$NODE_STATE/$n/run/slurmd.pid") || return 1
  [[ $(readlink "/proc/$pid/ns/net" 2>/dev/null) == "$(node_net_id "$n")" ]] || return 1
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  exe=${exe% (deleted)}
  [[ $exe == /usr/sbin/slurmd || $exe == /usr/sbin/slurmd-wlm ]] || return 1
  has_env_marker "$pid" "DASKMPI_LOCAL_SLURM=$VER" || return 1
  printf '%s' "$pid"
}
node_slurmd_running() { node_slurmd_pid "$1" >/dev/null; }
nodes_slurmd_running() {
  local n
  for n in "${NODES[@]}"; do node_slurmd_pid "$n" >/dev/null || return 1; done
}

start_node_slurmd() { # NODE
  local n=$1 d=$ROOT$NODE_STATE/$1 log
  install -d -m 755 "$d/spool" "$d/run" "$d/log" "$ROOT$NODE_RUND" "$ROOT$NODE_LOGD"
  install -d -m 1777 "$d/tmp"
  log=$d/log/slurmd.log
  (detach_from_caller && env -i "${CLEAN_ENV[@]}" nsenter --net="/run/netns/$(node_netns "$n")" --mount="$NS_PIN" -- \
    unshare --mount --uts --propagation private -- /bin/bash -c "$(declare -f node_setup)"'; node_setup "$@"' \
    node_setup "$n" "$NODE_STATE" "$NODE_RUND" "$NODE_LOGD" "$SPOOL_D") </dev/null >>"$log" 2>&1 ||
    die "slurmd of $n did not start" "$log"
  wait_until 15 node_slurmd_running "$n" || die "slurmd of $n did not stay up" "$log"
}

start_nodes_slurmd() {
  local n
  for n in "${NODES[@]}"; do
    node_slurmd_pid "$n" >/dev/null || { say "starting slurmd of $n ($(node_addr "$n"))" && start_node_slurmd "$n"; }
  done
}

stop_nodes_slurmd() {
  local n pid
  for n in "${NODES[@]}"; do
    if pid=$(node_slurmd_pid "$n"); then stop_pid "$pid" "slurmd of $n" "$STOP_TIMEOUT"; fi
    rm -f "$ROOT$NODE_STATE/$n/run/slurmd.pid"
  done
}

# `kill-node NODE`: what a crash looks like: every process on the node (slurmd, slurmstepd, ranks) gets
# SIGKILL at once; the network stays, so the controller finds nothing answering there.
kill_node() { # NODE
  local n=$1 rest
  [[ " ${NODES[*]} " == *" $n "* ]] || die "no node '$n' in this cluster (nodes: ${NODES[*]:-$NODE, single-node})"
  rest=$(procs_on_node "$n")
  [[ -n $rest ]] || die "nothing runs on $n"
  # shellcheck disable=SC2086 # one argument per PID
  kill -KILL $rest 2>/dev/null || true
  wait_until 10 node_empty "$n" || die "processes survive SIGKILL on $n: $(procs_on_node "$n")"
  say "killed every process on $n: $rest"
}
node_empty() { [[ -z $(procs_on_node "$1") ]]; }

# `exec --node NODE`: a command in the node's namespaces (those of its slurmd).
node_exec() { # NODE CMD...
  local n=$1 pid
  shift
  [[ " ${NODES[*]} " == *" $n "* ]] || die "no node '$n' in this cluster (nodes: ${NODES[*]:-$NODE, single-node})"
  pid=$(node_slurmd_pid "$n") || die "slurmd of $n does not run (killed? dev/local-slurm up brings it back)"
  # shellcheck disable=SC2016 # expanded by the shell inside
  exec env -i "${CLEAN_ENV[@]}" APPTAINER_DROP_CAPS=CAP_SYS_RESOURCE nsenter --target "$pid" --mount --uts --net -- \
    /bin/sh -c 'cd "$0" && exec "$@"' "$EXCHANGE" "$@" 9>&-
}
