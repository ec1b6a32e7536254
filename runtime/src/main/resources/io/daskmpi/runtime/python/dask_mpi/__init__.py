"""dask-mpi compatibility for scripts run by dask-mpi-runtime.

With dask-mpi, every rank runs the script and ``initialize()`` turns ranks 0 and 2+ into the
scheduler and workers. With dask-mpi-runtime the runtime has already done that, and only rank 1 runs
the script, so ``initialize()`` just points ``distributed.Client()`` at this launch's scheduler. It
accepts every keyword dask-mpi's does; the cluster's shape comes from the runtime's options instead
(``--threads-per-worker``, ``--memory-limit``, ``--nanny``, ``--interface``, ...).
"""

import os

__version__ = "2022.4.0+dask-mpi-runtime"
__all__ = ["initialize", "send_close_signal", "WorldTooSmallException"]


class WorldTooSmallException(RuntimeError):
    """Not enough ranks to start a scheduler, a client and a worker (the runtime checks this)."""


def initialize(
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
    **kwargs
):
    """Connects ``distributed.Client()`` to the runtime's scheduler; returns True (the client rank).

    The arguments are accepted for compatibility and ignored: the runtime started the scheduler and
    workers before this script ran, and shuts them down when it ends.
    """
    address = os.environ.get("DASK_SCHEDULER_ADDRESS")
    if not address:
        raise RuntimeError(
            "dask_mpi.initialize(): no DASK_SCHEDULER_ADDRESS. This dask_mpi is dask-mpi-runtime's"
            " stand-in; run the script with `srun -n 3 java -jar dask-mpi-runtime.jar SCRIPT`."
        )
    import dask

    dask.config.set({"scheduler-address": address})
    return True


def send_close_signal():
    """Shuts the scheduler and workers down now (the runtime also does this when the script ends)."""
    from distributed import Client

    with Client(os.environ["DASK_SCHEDULER_ADDRESS"], set_as_default=False) as client:
        client.shutdown()
