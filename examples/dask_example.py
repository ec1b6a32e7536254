# The seed's client script (dask_example.py), unchanged from a dask-mpi project.
from dask_mpi import initialize
from distributed import Client

initialize()
client = Client()
futures = client.map(lambda x: x + 1, range(100))
print("Dask result:", client.submit(sum, futures).result())
client.close()
