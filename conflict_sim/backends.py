"""Where batches of runs execute: in this process, in local worker processes, or on Dask.

Every backend is a `concurrent.futures.Executor` behind one small `Backend` (Mesa's `run_scenarios`
takes an executor too). Dask owns retries of a task whose worker was lost (`RETRIES`, configured once
here); a local pool broken by a dying worker is restarted by the engine. On an interrupt, local
workers are stopped at once instead of finishing the runs they hold.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from conflict_sim.errors import ConflictSimError

RETRIES = 1  # Dask reruns a task once more if it fails or its worker is lost; the engine adds none


@dataclass(frozen=True)
class Backend:
    """Where batches run: a name for the manifest, a worker count, and an executor factory.

    `window` bounds the batches in flight (None: submit all, which lets Dask balance and scale).
    """

    name: str
    workers: int
    open: Callable[[], contextlib.AbstractContextManager[Executor]]
    window: int | None = None
    address: str | None = None


class SequentialExecutor(Executor):
    """Runs each task in this process when it is submitted: for debugging, tests and notebooks."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


def sequential() -> Backend:
    """In-process, one run after another."""
    return Backend("sequential", 1, lambda: contextlib.nullcontext(SequentialExecutor()), window=1)


def processes(workers: int | None = None) -> Backend:
    """Local worker processes (default: one per core), warm for the whole sweep.

    Started through a local forkserver context (spawn where there is none, as on Windows; the global
    start method is not touched): a fork server, started once per driver process, imports what a worker
    needs (`WORKER_IMPORTS`) and forks each worker from there, so a worker starts in milliseconds instead
    of importing Mesa, pandas and SciPy for a second or more, and a study that opens many pools pays the
    imports once. Like spawn (and unlike fork), a worker inherits no state of the driver: only the
    imported modules.
    """
    n = workers or os.cpu_count() or 1
    if n < 1:
        raise ConflictSimError(f"--workers {workers}: must be at least 1")
    return Backend("processes", n, lambda: _pool(n), window=2 * n)


# What a worker imports to run a batch, loaded once in the fork server: the engine's batches (pandas, pyarrow)
# and the model they import when a batch runs (Mesa, SciPy, networkx).
WORKER_IMPORTS = ("conflict_sim.batches", "conflict_sim.run")


@contextlib.contextmanager
def _pool(n: int) -> Iterator[Executor]:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"  # spawn: Windows
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(list(WORKER_IMPORTS))  # no effect once this process's server runs
    pool = ProcessPoolExecutor(n, mp_context=context, initializer=_worker_setup)
    try:
        yield pool
    except BaseException:
        _stop_now(pool)
        raise
    pool.shutdown(wait=True)


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and end the workers now.

    An interrupted sweep ends in seconds, not when the runs in flight finish (their batches are
    uncommitted and run again on resume).
    """
    workers = list((getattr(pool, "_processes", None) or {}).values())  # CPython's pool keeps them here
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        with contextlib.suppress(OSError, ValueError):
            process.terminate()
    for process in workers:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(5)
    pool.shutdown(wait=True)  # the pool's own thread then releases its queues (no leaked semaphores)


def _worker_setup() -> None:
    """Worker initializer: the driver alone handles Ctrl-C; leave when the driver dies.

    A driver killed by SIGKILL or the OOM killer leaves no stray worker blocked on the task queue. The
    driver is watched through multiprocessing's parent sentinel, a pipe the kernel closes when the
    driver dies (a worker's parent process id is the fork server's, not the driver's).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from tqdm import tqdm

    # tqdm's default lock is a multiprocessing semaphore; a worker stopped on an interrupt could not
    # release it, and the resource tracker would print a warning after the clean line. A thread lock does.
    tqdm.set_lock(threading.RLock())

    driver = multiprocessing.parent_process()
    if driver is None:  # not started by a pool: nothing to watch
        return

    def watch() -> None:
        driver.join()  # returns when the driver's end of the pipe closes
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def dask(address: str | None = None, workers: int | None = None) -> Backend:
    """Dask distributed: the scheduler at `address`, or a LocalCluster of `workers` processes."""
    n = workers or os.cpu_count() or 1

    @contextlib.contextmanager
    def open_client() -> Iterator[Executor]:
        from distributed import Client, LocalCluster

        with contextlib.ExitStack() as stack:
            if address:
                try:
                    client = stack.enter_context(Client(address, timeout="20s"))
                except (OSError, TimeoutError) as exc:
                    raise ConflictSimError(f"--scheduler {address}: cannot connect ({exc})") from None
            else:
                with _ctrl_c_ignored():  # workers inherit it: Ctrl-C is the driver's, not 2 x 36 tracebacks
                    cluster = stack.enter_context(
                        LocalCluster(
                            n_workers=n,
                            threads_per_worker=1,
                            processes=True,
                            dashboard_address="127.0.0.1:0",  # a free port: a busy 8787 is no matter
                            silence_logs=logging.ERROR,
                        )
                    )
                client = stack.enter_context(Client(cluster))
                # Its workers' own logs too: at a Ctrl-C or at the end, a worker whose heartbeat meets the
                # scheduler already gone logs a traceback, which neither `silence_logs` (it sets the
                # nanny's logger only, in a worker) nor the driver's `_quiet_dask` reaches; the engine
                # reports every failed run itself, from the client. (A worker restarted after a crash logs
                # as before: that is news.)
                client.run(_quiet_dask)
            executor = client.get_executor(retries=RETRIES, pure=False)
            try:
                yield executor
            except BaseException:
                _quiet_dask()  # an interrupt: workers going away are expected, not news
                raise
            finally:
                executor.shutdown(wait=False)  # cancels what is still queued

    return Backend("dask", n, open_client, window=None, address=address)


@contextlib.contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """Ignore SIGINT while child processes start (they keep ignoring it; the driver handles it)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _quiet_dask() -> None:
    """After an interrupt, connections closing under results still being gathered are expected, not news.

    Run in the driver after an interrupt, and in a local cluster's workers from their start.

    distributed's loggers carry levels of their own (so each is named), and a gather cut short ends in the
    event loop, whose errors tornado and asyncio log.
    """
    names = ("distributed", "distributed.nanny", "distributed.worker", "distributed.scheduler", "distributed.client")
    for name in (*names, "tornado.application", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def backend_for(workers: int | None = None, scheduler: str | None = None, kind: str | None = None) -> Backend:
    """The backend a command line asks for: `--scheduler` means Dask; default local processes."""
    kind = kind or ("dask" if scheduler else "processes")
    if scheduler and kind != "dask":
        raise ConflictSimError(f"--scheduler needs the dask backend, not {kind!r}")
    if workers is not None and workers < 1:
        raise ConflictSimError(f"--workers {workers}: must be at least 1")
    if kind == "sequential":
        if workers not in (None, 1):
            raise ConflictSimError(f"--workers {workers}: the sequential backend has one worker")
        return sequential()
    if kind == "processes":
        return processes(workers)
    if kind == "dask":
        return dask(scheduler, workers)
    raise ConflictSimError(f"--backend {kind!r}: must be one of sequential, processes, dask")
