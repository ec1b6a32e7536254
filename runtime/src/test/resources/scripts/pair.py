# Two launches in one directory at once: each must see only its own workers. Waits until the other
# launch's client is also up, so both clusters are alive at the same time.
import os
import sys
import time

from dask_mpi import initialize

initialize()
from distributed import Client  # noqa: E402

me, other = sys.argv[1], sys.argv[2]
client = Client()
open("ready-" + me, "w").close()
deadline = time.time() + 90
while not os.path.exists("ready-" + other) and time.time() < deadline:
    time.sleep(0.1)
overlapped = os.path.exists("ready-" + other)
jobs = client.run(lambda: os.environ.get("SLURM_JOB_ID", "-"))
print("launch %s job %s overlapped %s scheduler %s worker-jobs %s" % (
    me, os.environ.get("SLURM_JOB_ID", "-"), overlapped, client.scheduler.address,
    ",".join(sorted(jobs.values()))))
time.sleep(1)  # the other launch may still be checking its own cluster
