# Runs until cancelled; prints its job id once the cluster computes.
import os
import time

from dask_mpi import initialize

initialize()
from distributed import Client  # noqa: E402

client = Client()
print("started job %s" % os.environ.get("SLURM_JOB_ID", "-"), flush=True)
client.submit(time.sleep, 600).result()
