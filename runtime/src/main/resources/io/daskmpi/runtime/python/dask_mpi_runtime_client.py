"""Rank 1 of a dask-mpi-runtime launch: run the user's client script, then shut the cluster down.

Started by the Java runtime as ``python -m dask_mpi_runtime_client SCRIPT ARGS...``. It imports
distributed while the scheduler starts, reads the scheduler address from stdin, waits until every
worker has registered, runs SCRIPT as ``__main__`` in this same interpreter (one Python start, not
two), and then, whatever the script did, records its exit code and shuts the scheduler down, which
ends the workers. The exit code is the script's: 0, sys.exit(n) -> n, an uncaught exception -> 1.

Environment (set by the runtime): DASK_MPI_WORKERS (number of workers to wait for),
DASK_MPI_TIMEOUT (seconds), DASK_MPI_CLIENT_EXIT_FILE (where to record the exit code).
"""

import asyncio
import collections
import os
import runpy
import threading
import socket
import sys
import time
import traceback

import dask
import distributed  # noqa: F401 - imported while the scheduler starts: free for the script
from distributed.comm import get_address_host_port
from distributed.core import rpc

try:
    from distributed.client import _global_clients  # where Client() registers itself
except ImportError:  # a Dask that moved it: the clients are closed at interpreter exit instead
    _global_clients = {}

CLOSE_TIMEOUT = 10.0

TERMINATE_TIMEOUT = 5.0

# The workers close before the scheduler, one after another, within this plus WORKER_CLOSE_EACH
# per worker (one takes about 30 ms); those left when it has passed go with the scheduler.
WORKER_CLOSE_TIMEOUT = 5.0
WORKER_CLOSE_EACH = 0.1

# Host names for the "ready" line come from /etc/hosts or DNS; a slow resolver never delays the script.
LOOKUP_TIMEOUT = 2.0


def main():
    if len(sys.argv) < 2:
        print("usage: python -m dask_mpi_runtime_client SCRIPT [ARGS...]", file=sys.stderr)
        return 2
    script, args = sys.argv[1], sys.argv[2:]
    address = sys.stdin.readline().strip()
    if not address:
        return 1  # the runtime gave up waiting for the scheduler and has said why
    os.environ["DASK_SCHEDULER_ADDRESS"] = address
    dask.config.set({"scheduler-address": address})
    timeout = float(os.environ.get("DASK_MPI_TIMEOUT", "60"))
    workers = int(os.environ.get("DASK_MPI_WORKERS", "1"))

    code = 1
    try:
        hosts = wait_for_workers(address, workers, timeout)
        if hosts is None:
            return code
        print("dask-mpi-runtime: %s" % placement_line(hosts), flush=True)
        code = run_script(script, args)
        return code
    finally:
        record_exit(code)
        close_user_clients()
        terminate(address)


def wait_for_workers(address, workers, timeout):
    """Every worker has registered: the script never starts on a partial cluster. Returns the
    workers' host addresses, or None when they did not all come within TIMEOUT.

    What Client.wait_for_workers() does, over a bare rpc: a Client would cost a registration now
    and a close before the script makes its own (~0.2 s measured)."""

    async def wait():
        deadline = time.monotonic() + timeout
        scheduler = rpc(address, timeout=timeout, connection_args=connection_args())
        try:
            while True:
                info = await scheduler.identity()
                running = [
                    worker.get("host", "?")
                    for worker in info.get("workers", {}).values()
                    if worker.get("status", "running") == "running"
                ]
                if len(running) >= workers:
                    return running
                if time.monotonic() > deadline:
                    print(
                        "dask-mpi-runtime: error: only %d of %d workers registered within %.0f s"
                        % (len(running), workers, timeout),
                        file=sys.stderr,
                    )
                    return None
                await asyncio.sleep(0.05)
        finally:
            await scheduler.close_rpc()

    return asyncio.run(wait())


def placement_line(hosts):
    """Where the cluster runs, e.g. "4 worker(s) ready on node2 (2), node3 (2); client on node1"."""
    names = host_names(sorted(set(hosts)))
    counts = collections.Counter(names.get(host, host) for host in hosts)
    spread = ", ".join("%s (%d)" % (name, n) for name, n in sorted(counts.items()))
    return "%d worker(s) ready on %s; client on %s" % (len(hosts), spread, socket.gethostname())


def host_names(addresses):
    """Address -> host name, as far as the resolver answers within LOOKUP_TIMEOUT. Daemon threads:
    a hung lookup delays neither the script nor the interpreter's exit."""
    names = {address: address for address in addresses}

    def lookup(address):
        try:
            names[address] = socket.gethostbyaddr(address)[0].split(".")[0]
        except OSError:
            pass  # no name: the address says it as well

    threads = [threading.Thread(target=lookup, args=(a,), daemon=True) for a in addresses]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + LOOKUP_TIMEOUT
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return dict(names)


def run_script(script, args):
    """Runs SCRIPT as `python SCRIPT ARGS` would and returns its exit code."""
    sys.argv = [script] + list(args)
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    try:
        runpy.run_path(script, run_name="__main__")
        return 0
    except SystemExit as exit:
        if exit.code is None:
            return 0
        if isinstance(exit.code, int):
            return exit.code & 0xFF
        print(exit.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        traceback.print_exc()
        return 130
    except BaseException:  # noqa: B036 - the script's failure is reported, then its exit code
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def record_exit(code):
    """Before the shutdown: the other ranks read it to tell a requested shutdown from a crash."""
    path = os.environ.get("DASK_MPI_CLIENT_EXIT_FILE")
    if not path:
        return
    temp = "%s.%d.tmp" % (path, os.getpid())
    with open(temp, "w") as f:
        f.write("%d\n" % code)
    os.replace(temp, path)


def close_user_clients():
    """Clients the script left open would try to reconnect to the stopped scheduler at exit."""
    for client in list(_global_clients.values()):
        try:
            client.close(timeout=CLOSE_TIMEOUT)
        except Exception:  # noqa: BLE001 - closing is best effort; the shutdown follows regardless
            pass


def terminate(address):
    """Shuts the scheduler down, which ends the workers: what Client.shutdown() sends, without a
    client whose reconnect attempts would hang on a scheduler the script already shut down."""

    if not listening(address):
        return  # the script shut it down already

    async def send():
        scheduler = rpc(address, timeout=TERMINATE_TIMEOUT, connection_args=connection_args())
        try:
            await close_workers(scheduler)
            await scheduler.terminate()
        finally:
            await scheduler.close_rpc()

    try:
        asyncio.run(send())
    except Exception:  # noqa: BLE001 - gone already, or went while answering
        pass


async def close_workers(scheduler):
    """The workers first, each closing its own connection, and one at a time. A scheduler that
    closes under a worker makes that worker log the lost connection as a CommClosedError traceback,
    in every successful job's output. And when a worker leaves, the scheduler tells each other
    worker (Dask 2024): one that is closing at that moment makes the scheduler log the failed
    write as a traceback too."""
    workers = await listed_workers(scheduler)
    deadline = time.monotonic() + WORKER_CLOSE_TIMEOUT + WORKER_CLOSE_EACH * len(workers)
    for worker in workers:
        try:
            await asyncio.wait_for(close_worker(scheduler, worker), deadline - time.monotonic())
        except asyncio.TimeoutError:
            return


async def close_worker(scheduler, worker):
    # The only rpc that closes workers in every Dask the runtime supports (2022.12 to 2024.12).
    # remove=False keeps the worker listed until its own connection has closed. Data still held
    # (a published dataset) moves to the workers left first, within the deadline.
    await scheduler.retire_workers(workers=[worker], close_workers=True, remove=False)
    while worker in await listed_workers(scheduler):
        await asyncio.sleep(0.01)


async def listed_workers(scheduler):
    return list((await scheduler.identity()).get("workers", {}))


def connection_args():
    """The client's side of the launch's private cluster (TLS files from Dask's configuration,
    which the runtime sets), or plain TCP's nothing."""
    from distributed.security import Security

    return Security().get_connection_args("client")


def listening(address):
    """A plain TCP probe (the scheduler does not log it): Dask's own connect would retry a refused
    connection for its whole timeout. A TLS listener would log the probe as a failed handshake, so
    there Dask's connect decides."""
    if address.startswith("tls://"):
        return True
    try:
        host, port = get_address_host_port(address)
        socket.create_connection((host, port), timeout=TERMINATE_TIMEOUT).close()
        return True
    except (OSError, ValueError):
        return False


if __name__ == "__main__":
    sys.exit(main())
