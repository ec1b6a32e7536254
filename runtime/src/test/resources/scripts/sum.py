# A script written for dask-mpi, unmodified: every keyword of dask_mpi.initialize() is accepted.
import sys

from dask_mpi import initialize

initialize(
    interface=None,
    nthreads=1,
    local_directory="",
    memory_limit="auto",
    nanny=False,
    dashboard=True,
    dashboard_address=":8787",
    protocol=None,
    worker_class="distributed.Worker",
    worker_options=None,
    comm=None,
    exit=True,
)

from distributed import Client  # noqa: E402

client = Client()
expected = int(sys.argv[1])
workers = len(client.scheduler_info()["workers"])
total = sum(client.gather(client.map(lambda x: x * x, range(10))))
print("workers: %d of %d" % (workers, expected))
print("Dask result: %d" % client.submit(lambda a, b: a + b, 2, 3).result())
print("sum of squares: %d" % total)
