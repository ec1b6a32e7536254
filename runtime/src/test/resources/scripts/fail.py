# The client computes, then fails with exit code 7: the launch must exit 7.
import sys

from dask_mpi import initialize

initialize()
from distributed import Client  # noqa: E402

client = Client()
print("Dask result: %d" % client.submit(lambda a, b: a + b, 2, 3).result())
sys.exit(7)
