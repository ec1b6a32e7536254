"""A scheduler preload: for each worker the scheduler removes, prints which other workers were
closing at that moment (a worker closing while another leaves is what makes the scheduler's
"remove-worker" note to it fail with a traceback, in Dask 2024)."""

from distributed.diagnostics.plugin import SchedulerPlugin

CLOSING = {"closing", "closing_gracefully"}


class RemovalRecorder(SchedulerPlugin):
    def remove_worker(self, scheduler, worker, **kwargs):
        closing = sorted(
            address
            for address, ws in scheduler.workers.items()
            if address != worker and ws.status.name in CLOSING
        )
        print("removed worker %s; others closing: %s" % (worker, ", ".join(closing) or "none"),
              flush=True)


def dask_setup(scheduler):
    scheduler.add_plugin(RemovalRecorder())
