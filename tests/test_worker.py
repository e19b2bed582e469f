"""gui.worker.LatestJobRunner: one job in flight, newest request wins, waits end."""
import threading
import time

from PySide6.QtCore import QThreadPool

from gui.worker import LatestJobRunner


def test_a_finished_job_cannot_mark_its_successor_done(qapp):
    """A job that finishes (answer written) and is collected before its own
    'done' flag is raised must not make ``wait`` believe the next job is done:
    that spun ``wait`` past its deadline until the next job ended."""
    pool = QThreadPool()
    pool.setMaxThreadCount(2)
    runner = LatestJobRunner(pool)
    release = threading.Event()
    runner.request(lambda: "first")
    assert runner.wait(5.0)
    first_done = runner._done           # the event the first job raised
    runner.request(lambda: release.wait(5.0) or "second")
    first_done.set()                    # a late set() from the first job's thread
    started = time.monotonic()
    assert runner.wait(0.2) is False    # the second job is still running
    assert time.monotonic() - started < 1.0
    release.set()
    assert runner.wait(5.0)
    pool.waitForDone(5000)


def test_the_newest_request_wins_and_older_answers_are_dropped(qapp, qtbot):
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    runner = LatestJobRunner(pool)
    answers = []
    runner.finished.connect(lambda number, result: answers.append((number, result)))
    gate = threading.Event()
    runner.request(lambda: gate.wait(5.0) and "slow")
    runner.request(lambda: "middle")            # replaced while queued
    last = runner.request(lambda: "newest")
    gate.set()
    assert runner.wait(5.0)
    qtbot.waitUntil(lambda: bool(answers), timeout=2000)
    assert answers == [(last, "newest")]
    pool.waitForDone(5000)


def test_a_newer_request_aborts_the_running_job(qapp):
    """A job given an ``abort`` is told to stop when a newer request comes (the
    parse worker kills its child process), so the newest job starts at once."""
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    runner = LatestJobRunner(pool)
    stop = threading.Event()
    answers = []
    runner.finished.connect(lambda number, result: answers.append(result))

    def long_job():
        stop.wait(10.0)
        return "long"

    runner.request(long_job, abort=stop.set)
    time.sleep(0.05)
    start = time.perf_counter()
    runner.request(lambda: "short")
    assert stop.is_set()                          # aborted at once, from this thread
    assert runner.wait(5.0)
    assert time.perf_counter() - start < 1.0
    assert answers == ["short"]
    assert pool.waitForDone(5000)     # no job still emitting when the runner goes
