"""Starts a Dask scheduler and N workers as separate processes, as the runtime's ranks do, then
ends them with the client rank's own terminate() and prints every process's output.

usage: python3 shutdown_order.py N   (with the runtime's Python files and this folder on PYTHONPATH)
"""

import shutil
import subprocess
import sys
import tempfile

from distributed import Client

import dask_mpi_runtime_client

START_TIMEOUT = 60


def main():
    workers = int(sys.argv[1])
    folder = tempfile.mkdtemp(prefix="shutdown-order-")
    processes = []
    try:
        scheduler_file = folder + "/scheduler.json"
        processes.append(start(folder, "scheduler", "distributed.cli.dask_scheduler", "--host",
                               "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file",
                               scheduler_file, "--preload", "removal_recorder"))
        for n in range(workers):
            processes.append(start(folder, "worker %d" % n, "distributed.cli.dask_worker",
                                   "--scheduler-file", scheduler_file, "--nthreads", "1",
                                   "--no-nanny", "--no-dashboard", "--name", str(n)))
        with Client(scheduler_file=scheduler_file, timeout=START_TIMEOUT) as client:
            client.wait_for_workers(workers, timeout=START_TIMEOUT)
            address = client.scheduler.address
        dask_mpi_runtime_client.terminate(address)
        for name, process, log in processes:
            process.wait(timeout=START_TIMEOUT)
            log.seek(0)
            for line in log.read().splitlines():
                print("%s: %s" % (name, line))
            print("%s exited with %d" % (name, process.returncode))
    finally:
        for _, process, log in processes:
            if process.poll() is None:
                process.kill()
            log.close()
        shutil.rmtree(folder, ignore_errors=True)


def start(folder, name, module, *args):
    """The process writes to a file, not a pipe nobody reads while it runs."""
    log = open("%s/%s.log" % (folder, name.replace(" ", "-")), "w+", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", module, *args], stdout=log,
                               stderr=subprocess.STDOUT, text=True)
    return name, process, log


if __name__ == "__main__":
    main()
