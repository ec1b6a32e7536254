"""A scheduler preload: for each worker the scheduler removes, prints which other workers were
closing at that moment (a worker closing while another leaves is what makes the scheduler's
"remove-worker" note to it fail with a traceback)."""

from distributed.diagnostics.plugin import SchedulerPlugin

CLOSING = {"closing", "closing_gracefully"}


class RemovalRecorder(SchedulerPlugin):
    def remove_worker(self, scheduler, worker, **kwargs):
        closing = sorted(
            str(ws.name)
            for address, ws in scheduler.workers.items()
            if address != worker and ws.status.name in CLOSING
        )
        name = scheduler.workers[worker].name if worker in scheduler.workers else worker
        print("removed worker %s; others closing: %s" % (name, ", ".join(closing) or "none"), flush=True)


def dask_setup(scheduler):
    scheduler.add_plugin(RemovalRecorder())
