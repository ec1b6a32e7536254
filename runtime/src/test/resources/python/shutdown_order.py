"""Starts a Dask scheduler and N workers as separate processes, as the runtime's ranks do, then
ends them with the client rank's own terminate() and prints every process's output.

usage: python3 shutdown_order.py N   (with the runtime's Python files and this folder on PYTHONPATH)
"""

import os
import subprocess
import sys
import tempfile

from distributed import Client

import dask_mpi_runtime_client

START_TIMEOUT = 60


def main():
    workers = int(sys.argv[1])
    folder = tempfile.mkdtemp(prefix="shutdown-order-")
    scheduler_file = os.path.join(folder, "scheduler.json")
    scheduler = start("scheduler", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                      "--port", "0", "--no-dashboard", "--scheduler-file", scheduler_file,
                      "--preload", "removal_recorder")
    ranks = [start("worker %d" % n, "distributed.cli.dask_worker", "--scheduler-file",
                   scheduler_file, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                   "--name", str(n))
             for n in range(workers)]
    with Client(scheduler_file=scheduler_file, timeout=START_TIMEOUT) as client:
        client.wait_for_workers(workers, timeout=START_TIMEOUT)
        address = client.scheduler.address
    dask_mpi_runtime_client.terminate(address)
    for name, process in [scheduler] + ranks:
        output, _ = process.communicate(timeout=START_TIMEOUT)
        for line in output.splitlines():
            print("%s: %s" % (name, line))
        print("%s exited with %d" % (name, process.returncode))


def start(name, module, *args):
    process = subprocess.Popen([sys.executable, "-m", module, *args], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    return name, process


if __name__ == "__main__":
    main()
