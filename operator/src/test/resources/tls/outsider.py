"""Another user of the cluster, without the job's key, tries the job's Dask scheduler.

Usage: python3 outsider.py SCHEDULER_ADDRESS. Prints one line per attempt: "<attempt> connected" or
"<attempt> refused: <error type>".
"""
import asyncio
import ssl
import sys

from distributed import Client
from distributed.comm import connect

host_port = sys.argv[1].split("://", 1)[1]


def attempt(name, action):
    try:
        action()
        print(name, "connected", flush=True)
    except Exception as e:  # any failure to get an answer is a refusal
        print(name, "refused:", type(e).__name__, flush=True)


def plain_client():
    with Client("tcp://" + host_port, timeout=10) as client:
        client.scheduler_info()


def tls_without_the_key():
    # TLS, trusting anything, but with no certificate of its own to show.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    async def identity():
        comm = await connect("tls://" + host_port, timeout=10, ssl_context=context)
        await comm.write({"op": "identity"})
        await comm.read()

    asyncio.run(identity())


attempt("plain client", plain_client)
attempt("tls client without the key", tls_without_the_key)
