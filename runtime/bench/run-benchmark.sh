#!/bin/bash
# Prints the runtime's figures against a plain shell wrapper starting the same Dask processes:
# wall time of `srun -n N`, time from launch to the client's first result, and resident memory.
#
# Usage: runtime/bench/run-benchmark.sh [RUNS]      (default 5 runs per row; medians are printed)
# Needs: the jar (mvn -pl runtime package), the local Slurm (dev/local-slurm up), Debian's Dask.
# Environment: DASK_MPI_PYTHON (default /usr/bin/python3), SLURM_CONF (default: from
# `dev/local-slurm env --slurm 22.05`), SIZES (default "3 5").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
jar=$repo/runtime/target/dask-mpi-runtime.jar
runs=${1:-5}
sizes=${SIZES:-3 5}
export DASK_MPI_PYTHON=${DASK_MPI_PYTHON:-/usr/bin/python3}
flags=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto)
[[ -f $jar ]] || { echo "no $jar: run mvn -pl runtime package first" >&2; exit 1; }
if [[ -z ${SLURM_CONF:-} ]]; then
  eval "$(bash "$repo/dev/local-slurm" env --slurm 22.05)"
fi
work=$(mktemp -d /tmp/dask-mpi-bench.XXXXXX)
chmod 777 "$work"
cp "$here/bench.py" "$work/"
trap 'rm -rf "$work"' EXIT
cd "$work"

now() { date +%s.%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum() { sort -n | head -1; }

# One launch: prints "WALL FIRST" in seconds. $1 = ranks, the rest = what each rank runs.
launch() {
  local n=$1
  shift
  local start end first
  start=$(now)
  srun --quiet -n "$n" "$@" >out.txt 2>&1 || { echo "launch failed:" >&2; tail -20 out.txt >&2; exit 1; }
  end=$(now)
  first=$(awk '/FIRST_RESULT/ { print $(NF - 1); exit }' out.txt)
  [[ -n $first ]] || { echo "no result:" >&2; tail -20 out.txt >&2; exit 1; }
  awk -v s="$start" -v e="$end" -v f="$first" 'BEGIN { printf "%.2f %.2f\n", e - s, f - s }'
}

runtime_default() { launch "$1" java -jar "$jar" bench.py $(($1 - 2)); }
runtime_flags() { launch "$1" java "${flags[@]}" -jar "$jar" bench.py $(($1 - 2)); }
runtime_no_tls() { launch "$1" java "${flags[@]}" -jar "$jar" --no-tls bench.py $(($1 - 2)); }
shell_baseline() {
  rm -f "$work/scheduler-$1.json"
  launch "$1" "$here/shell-baseline.sh" "$work/scheduler-$1.json" bench.py $(($1 - 2))
}

# Resident memory (MB) of the rank JVMs and of the Dask processes while the cluster holds.
memory() { # N [JVM FLAGS...]
  local n=$1 jvm dask
  shift
  BENCH_HOLD=4 srun --quiet -n "$n" java "$@" -jar "$jar" bench.py $((n - 2)) >mem.txt 2>&1 &
  local srun_pid=$!
  until grep -q FIRST_RESULT mem.txt 2>/dev/null; do sleep 0.2; done
  sleep 1
  rss() { # PATTERN: average VmRSS in MB of processes working in $work whose command matches
    local total=0 count=0 pid p
    for p in /proc/[0-9]*; do
      pid=${p#/proc/}
      [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$work" ]] || continue
      tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qE "$1" || continue
      total=$((total + $(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")))
      count=$((count + 1))
    done
    awk -v t="$total" -v c="$count" 'BEGIN { printf "%.0f", c ? t / c / 1024 : 0 }'
  }
  jvm=$(rss '^(\S*\/)?java ')
  dask=$(rss 'python3? ')
  wait "$srun_pid"
  echo "$jvm $dask"
}

# Variants run interleaved, so a burst of other load on the machine hits them all alike.
variants=(runtime_flags runtime_no_tls runtime_default shell_baseline)
declare -A label=([runtime_flags]="runtime, JVM flags" [runtime_no_tls]="runtime, JVM flags, --no-tls"
  [runtime_default]="runtime, JVM defaults"
  [shell_baseline]="shell wrapper (baseline)")
rows() { # N
  local v i w f
  declare -A walls firsts tails
  for v in "${variants[@]}"; do "$v" "$1" >/dev/null; done # warm page cache, Slurm, CDS
  for ((i = 0; i < runs; i++)); do
    for v in "${variants[@]}"; do
      read -r w f < <("$v" "$1")
      walls[$v]+="$w "
      firsts[$v]+="$f "
      tails[$v]+="$(awk -v w="$w" -v f="$f" 'BEGIN { printf "%.2f", w - f }') "
    done
  done
  for v in "${variants[@]}"; do
    printf '| %d | %-26s | %5s (%s) | %5s (%s) | %5s |\n' "$1" "${label[$v]}" \
      "$(stat_of median "${walls[$v]}")" "$(stat_of minimum "${walls[$v]}")" \
      "$(stat_of median "${firsts[$v]}")" "$(stat_of minimum "${firsts[$v]}")" \
      "$(stat_of median "${tails[$v]}")"
  done
}
stat_of() { tr ' ' '\n' <<<"$2" | grep . | "$1"; }

jvm_start() { # FLAGS...: median (best) ms of `java -jar --version`
  local i s times=()
  for i in $(seq 15); do
    s=$(now)
    java "$@" -jar "$jar" --version >/dev/null
    times+=("$(awk -v s="$s" -v e="$(now)" 'BEGIN { printf "%.0f", (e - s) * 1000 }')")
  done
  echo "$(printf '%s\n' "${times[@]}" | median) ($(printf '%s\n' "${times[@]}" | minimum))"
}

echo "dask-mpi-runtime benchmark: $(nproc) cores, $(java -version 2>&1 | head -1), Dask $("$DASK_MPI_PYTHON" -c 'import distributed; print(distributed.__version__)'), $runs runs per row (median)"
echo
echo "| ranks | launcher | wall s, median (best) | launch to first result s, median (best) | shutdown s (wall - first) |"
echo "|---|---|---|---|---|"
for n in $sizes; do rows "$n"; done
echo
echo "JVM start to exit of \`java -jar dask-mpi-runtime.jar --version\`, ms, median (best) of 15:"
echo "  with ${flags[*]}: $(jvm_start "${flags[@]}") ms; defaults: $(jvm_start) ms; -Xshare:off: $(jvm_start -Xshare:off) ms"
echo
for n in $sizes; do
  read -r jvm dask < <(memory "$n" "${flags[@]}")
  read -r jvm_default _ < <(memory "$n")
  echo "Resident memory, $n ranks: runtime JVM $jvm MB per rank with the flags, $jvm_default MB with defaults; Dask processes $dask MB each on average"
done
