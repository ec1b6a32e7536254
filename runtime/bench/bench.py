# The benchmark's client: the same script for the runtime and for the shell baseline.
import os
import sys
import time

from distributed import Client

workers = int(sys.argv[1])
client = Client()
client.wait_for_workers(workers)  # the runtime has waited already; the baseline waits here
result = client.submit(lambda a, b: a + b, 2, 3).result()
print("FIRST_RESULT %.3f %d" % (time.time(), result), flush=True)
time.sleep(float(os.environ.get("BENCH_HOLD", "0")))  # memory sampling runs hold the cluster up
