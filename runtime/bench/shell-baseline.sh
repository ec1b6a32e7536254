#!/bin/bash
# The benchmark's baseline: the same Dask processes started by a plain shell wrapper, as in
# docs/local-lab.md §3 (rankrole.sh). Usage: shell-baseline.sh SCHEDULER_FILE SCRIPT ARGS...
set -u
file=$1
shift
py=${DASK_MPI_PYTHON:-python3}
rank=${PMI_RANK:-${OMPI_COMM_WORLD_RANK:-${PMIX_RANK:-${SLURM_PROCID:?no rank}}}}
case $rank in
0) exec "$py" -m distributed.cli.dask_scheduler --scheduler-file "$file" --host "$(hostname)" \
  --port 0 --dashboard-address :8787 ;;
1)
  until [[ -s $file ]] && grep -q '"address"' "$file"; do sleep 0.1; done
  address=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["address"])' "$file")
  DASK_SCHEDULER_ADDRESS=$address "$py" "$@"
  rc=$?
  "$py" -c 'import sys; from distributed import Client; Client(sys.argv[1]).shutdown()' "$address"
  exit $rc
  ;;
*) exec "$py" -m distributed.cli.dask_worker --scheduler-file "$file" --name "$rank" --nthreads 1 \
  --no-nanny --no-dashboard --death-timeout 60 ;;
esac
