"""Every rank reads its rank through MPI (MPICH, over the launcher's PMI), checks it against the
others with an allreduce, and prints one line. Run as `launcher: script` by LauncherScriptIT."""
import ctypes
import socket
import sys

mpi = ctypes.CDLL("libmpich.so.12", mode=ctypes.RTLD_GLOBAL)
# MPICH's fixed handles (its ABI since 3.x).
MPI_COMM_WORLD, MPI_INT, MPI_SUM = 0x44000000, 0x4C000405, 0x58000003

if mpi.MPI_Init(None, None) != 0:
    sys.exit("MPI_Init failed")
rank, size, total = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
mpi.MPI_Comm_rank(MPI_COMM_WORLD, ctypes.byref(rank))
mpi.MPI_Comm_size(MPI_COMM_WORLD, ctypes.byref(size))
mpi.MPI_Allreduce(ctypes.byref(rank), ctypes.byref(total), 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD)
print(
    f"rank {rank.value} of {size.value} on {socket.gethostname()}: sum of ranks {total.value}"
    f" args {sys.argv[1:]}",
    flush=True,
)
mpi.MPI_Finalize()
