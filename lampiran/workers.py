"""Where documents run: in this process, in a pool of worker processes, or on
a Dask cluster.

Every executor takes the documents to do and yields one ``DocResult`` per
document, whatever happened to it. In the pool and on Dask a document that
runs past its time limit, or kills its worker (a segfault or an out-of-memory
kill inside pdfium, Tesseract or OpenCV), becomes a failed result with the
reason, and the other documents go on. The pool is pebble's: it restarts a
dead or timed-out worker and fails only that worker's task, where the
standard library's ``ProcessPoolExecutor`` breaks every pending future.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
from collections.abc import Callable, Iterator
from dataclasses import replace
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from lampiran.batch import IN_POOL, DocResult, Executor, process_one
from lampiran.extract.options import ExtractOptions
from lampiran.model.errors import LampiranError

# Seconds one document may take in a corpus run before it is stopped. Measured
# on this project's 2-core machine: the slowest fixture, a 9-page 300 dpi scan,
# takes about 30 s; the 99-page Excel-made Bali lampiran about 8 s. Ten minutes
# leaves a 20x margin for slow machines and long scans, and still ends a page
# that loops within a corpus run's patience.
DEFAULT_TIMEOUT = 600.0

# Seconds to wait for a Dask scheduler before saying it cannot be reached.
DASK_CONNECT_TIMEOUT = 10.0

PageEvent = Callable[[str, int, int], None]

# A pool worker's channel for page events. A ``SimpleQueue``: its ``put``
# writes to the pipe before returning, so every page event of a document is
# in the pipe before the document's result is sent, and the parent, draining
# the pipe before it takes a result, never hears a page after its document
# ended. (A ``Queue`` writes from a feeder thread: under load the last pages'
# events came after the result and were dropped, and the bar skipped them.)
_pages: multiprocessing.SimpleQueue | None = None


def _init_worker(pages: multiprocessing.SimpleQueue | None) -> None:
    from lampiran.lock import forget_in_child

    global _pages
    _pages = pages
    forget_in_child()
    # Ctrl-C goes to the whole process group; the parent alone handles it and
    # stops the pool, so a worker never prints its own KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool_task(path: str, sha256: str, options: ExtractOptions) -> DocResult:
    channel = _pages
    on_page = (lambda n, total: channel.put((path, n, total))) if channel is not None else None
    return process_one(path, sha256=sha256, on_page=on_page, options=options)


def crashed(path: str, sha256: str, reason: str) -> DocResult:
    return DocResult(path, sha256, "failed", stage="run", error=reason)


def timed_out(path: str, sha256: str, timeout: float | None) -> DocResult:
    return crashed(path, sha256, f"timed out after {timeout:g} s (--timeout)")


def _signal_name(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"


def _preload() -> None:
    """Import both stages here, before the pool forks: every worker then
    starts with them. Imported in each worker instead, they cost that worker
    0.45 s and this process 0.3 s more, one after the other (the 10-page
    sample: 1.95 against 1.65 s a run)."""
    import lampiran.extract.stage  # noqa: F401
    import lampiran.normalize.stage  # noqa: F401


def _preload_writers() -> None:
    """Import the writers (pyarrow, and numpy with it: 0.22 s here) once the
    workers run: this process needs them only when the documents are done,
    and the workers never, so the import overlaps their reading instead of
    delaying it, and the forked workers carry neither. Measured, 5 runs each
    taking turns: the 99-page Bali lampiran 6.25 -> 5.65 s a run; the
    10-page sample the same within the noise (its workers keep both cores
    busy while this process imports)."""
    import lampiran.model.write  # noqa: F401


def run_pool(jobs: int, timeout: float | None = DEFAULT_TIMEOUT, options: ExtractOptions = IN_POOL,
             on_page: PageEvent | None = None, tick: Callable[[], None] | None = None) -> Executor:
    """Worker processes, one document each at a time, each within ``timeout``
    seconds (None: no limit). ``on_page`` hears every page read in any worker;
    ``tick`` is called about once a second while documents are in hand."""

    def run(todo: list[tuple[str, str]]) -> Iterator[DocResult]:
        from pebble import ProcessExpired, ProcessPool

        if not todo:
            return
        _preload()
        pages = multiprocessing.SimpleQueue() if on_page else None
        pool = ProcessPool(max_workers=max(1, min(jobs, len(todo))), initializer=_init_worker, initargs=(pages,))
        # Fewer documents than jobs: the cores left over read each one's pages.
        per_doc = replace(options, page_jobs=max(options.page_jobs, jobs // len(todo)))
        try:
            futures = {pool.schedule(_pool_task, args=(path, sha, per_doc), timeout=timeout): (path, sha)
                       for path, sha in todo}
            done: queue.SimpleQueue = queue.SimpleQueue()
            for f in futures:
                f.add_done_callback(done.put)
            _preload_writers()
            for _ in range(len(futures)):
                f = _next_done(done, pages, on_page, tick)
                path, sha = futures[f]
                try:
                    yield f.result()
                except FutureTimeout:
                    yield timed_out(path, sha, timeout)
                except ProcessExpired as e:
                    yield crashed(path, sha, f"worker crashed ({_signal_name(e.exitcode)}; "
                                             "out of memory, or a fault in a native library)")
                except Exception as e:  # noqa: BLE001 - process_one catches its own; this is the pool's
                    yield crashed(path, sha, f"worker failed ({type(e).__name__}: {e})")
        finally:
            pool.stop()
            pool.join()
            if pages is not None:
                pages.close()

    return run


def _next_done(done: queue.SimpleQueue, pages: multiprocessing.SimpleQueue | None, on_page: PageEvent | None,
               tick: Callable[[], None] | None):
    """The next finished future, relaying page events while waiting, and
    those still in the pipe when it finished (they come before its result)."""
    while True:
        try:
            f = done.get(timeout=0.1 if pages is not None else 1.0)
        except queue.Empty:
            f = None
        _relay(pages, on_page)
        if f is not None:
            return f
        if tick:
            tick()


def _relay(pages: multiprocessing.SimpleQueue | None, on_page: PageEvent | None) -> None:
    if pages is None or on_page is None:
        return
    while not pages.empty():
        on_page(*pages.get())


def run_dask(address: str, options: ExtractOptions = IN_POOL, timeout: float | None = DEFAULT_TIMEOUT) -> Executor:
    """Documents sent to a Dask scheduler. A worker that dies with a document
    (after the cluster's own retries, ``distributed.scheduler.allowed-failures``)
    leaves that document failed and the others go on. A document processing
    on a worker for longer than ``timeout`` seconds is failed, and that worker
    restarted: Dask cannot stop a running task any other way."""
    try:
        from distributed import Client
    except ImportError:
        raise LampiranError("--dask", "Dask is not installed: pip install 'lampiran[dask]'", stage="run") from None
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise LampiranError(address, f"cannot reach the Dask scheduler ({e})", stage="run") from None

    def run(todo: list[tuple[str, str]]) -> Iterator[DocResult]:
        import uuid

        run_id = uuid.uuid4().hex[:12]  # keys (and their start events) of this run alone, on a long-lived cluster
        with client:
            # Ship the bytes: a cluster's workers need not share our disk.
            futures = {
                client.submit(_dask_task, path, Path(path).read_bytes(), sha, options,
                              key=f"lampiran-{run_id}-{i}-{sha}", pure=False): (path, sha)
                for i, (path, sha) in enumerate(todo)
            }
            yield from _dask_results(client, futures, timeout)

    return run


START_TOPIC = "lampiran-start"  # the event a Dask task logs when it starts: its clock starts then


def _dask_task(path: str, data: bytes, sha256: str, options: ExtractOptions) -> DocResult:
    from distributed import get_worker

    worker = get_worker()
    worker.log_event(START_TOPIC, {"key": worker.get_current_task(), "worker": worker.address})
    return process_one(path, data, sha256, None, options)


def _dask_results(client, futures: dict, timeout: float | None) -> Iterator[DocResult]:
    """Each document's result as it finishes; the clock of a document starts
    when its task logs that it started (the scheduler stamps the event)."""
    import time

    pending = set(futures)
    checked = 0.0
    while pending:
        # Polled: distributed.wait and as_completed want a default client.
        done = [f for f in pending if f.done()]
        if not done:
            time.sleep(0.2)
        for f in sorted(done, key=lambda f: f.key):
            pending.discard(f)
            path, sha = futures[f]
            try:
                yield f.result()
            except Exception as e:  # noqa: BLE001 - KilledWorker, a lost worker, a cancelled task
                yield crashed(path, sha, f"worker crashed ({type(e).__name__}: {e})")
        now = time.monotonic()
        if timeout is None or not pending or now - checked < 1.0:
            continue
        checked = now  # the scheduler is asked once a second
        by_key = {f.key: f for f in pending}
        latest: dict[str, tuple[float, str]] = {}  # a task retried after a lost worker starts again
        for stamp, msg in client.get_events(START_TOPIC):
            if msg["key"] in by_key and stamp >= latest.get(msg["key"], (0.0, ""))[0]:
                latest[msg["key"]] = (stamp, msg["worker"])
        for key, (stamp, worker) in sorted(latest.items()):
            f = by_key[key]
            if time.time() - stamp > timeout:
                path, sha = futures[f]
                f.cancel()
                try:
                    client.restart_workers([worker], raise_for_error=False)
                except Exception:  # noqa: BLE001 - distributed 2026.8 restarts, then fails to map the reply
                    pass
                pending.discard(f)
                yield timed_out(path, sha, timeout)
