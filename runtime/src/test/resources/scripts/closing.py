# The script shuts the cluster down itself, the dask-mpi way (initialize(exit=False) +
# send_close_signal()): the launch still ends promptly with exit code 0.
from dask_mpi import initialize, send_close_signal

initialize(exit=False)
from distributed import Client  # noqa: E402

client = Client()
print("Dask result: %d" % client.submit(lambda a, b: a + b, 2, 3).result())
send_close_signal()
print("closed")
