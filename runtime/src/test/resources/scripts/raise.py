# An uncaught exception in the client: exit code 1, never 0 (dask-mpi #88).
from dask_mpi import initialize

initialize()
from distributed import Client  # noqa: E402

client = Client()
client.submit(lambda: 1 / 0).result()
