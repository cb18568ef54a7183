"""The scan inside the import: same result in one or several processes, in order, bounded."""

from __future__ import annotations

import pytest

from aircluster.demo.posts import generate_records
from aircluster.errors import UsageError
from aircluster.privacy.review.gate import review_hook
from aircluster.privacy.review.pipeline import IN_FLIGHT_PER_WORKER, ScanPipeline
from aircluster.privacy.review.policy import Policy
from aircluster.privacy.review.transform import apply_policy

KEY = b"p" * 32


def batches(records, size):
    return [records[i : i + size] for i in range(0, len(records), size)]


def run(records, workers, batch_size=16):
    with ScanPipeline(Policy.load(None), KEY, workers=workers, batch_size=batch_size) as pipe:
        out = [list(b) for b in pipe.process(iter(batches(records, 40)))]
        assert (pipe._pool is not None) == (workers > 1)
        return out, pipe.stats.to_dict()


def test_single_process_matches_record_by_record_application(detector):
    records = list(generate_records(120, seed=11, pii_rate=0.8))
    out, stats = run(records, workers=1)
    pol = Policy.load(None)
    expected = [apply_policy(r, detector.scan_record(r), pol, KEY)[0] for r in records]
    assert [r for b in out for r in b] == [r for r in expected if r is not None]
    assert stats["records"] == 120 and stats["records_dropped"] == expected.count(None) > 0


@pytest.mark.slow
def test_two_processes_give_exactly_the_single_process_result():
    # 200 records in pieces of 16: two pieces here, the other eleven in the two workers.
    records = list(generate_records(200, seed=12, pii_rate=0.8))
    one, stats_one = run(records, workers=1)
    two, stats_two = run(records, workers=2)
    assert [r for b in two for r in b] == [r for b in one for r in b]
    assert stats_two == stats_one


@pytest.mark.slow
def test_input_is_consumed_lazily_with_bounded_work_in_flight():
    pulled = 0

    def source():
        nonlocal pulled
        for i in range(1000):
            pulled += 1
            yield [{"text": f"post {i} mail a{i}@example.com"}]

    with ScanPipeline(Policy.load(None), KEY, workers=2, batch_size=1, local_pieces=0) as pipe:
        first = next(iter(pipe.process(source())))
        assert first == [{"text": first[0]["text"]}] and "<EMAIL_ADDRESS_" in first[0]["text"]
        assert pulled <= IN_FLIGHT_PER_WORKER * 2 + 1
        assert pipe._pool is not None  # the workers did the work


def test_bad_policy_fails_before_anything_is_read(tmp_path):
    bad = tmp_path / "p.toml"
    bad.write_text('[actions]\nEMAIL = "redact"\n')
    with pytest.raises(UsageError, match="EMAIL"):
        review_hook(ctx=None, policy_path=bad, workers=1)


@pytest.mark.slow
def test_a_killed_worker_is_a_clear_error_not_a_hang():
    import os
    import signal

    from aircluster.errors import AirclusterError

    def source():
        for i in range(400):
            yield [{"text": f"post {i} by Margaret Thompson"}]

    with ScanPipeline(Policy.load(None), KEY, workers=2, batch_size=1, local_pieces=0) as pipe:
        out = pipe.process(source())
        next(out)
        for pid in list(pipe._pool._processes):
            os.kill(pid, signal.SIGKILL)
        with pytest.raises(AirclusterError, match="worker process died") as err:
            list(out)
        assert "Margaret" not in str(err.value)


@pytest.mark.slow
def test_an_aborted_scan_stops_its_workers_instead_of_finishing_their_batches():
    import signal

    def source():
        for i in range(400):
            yield [{"text": f"post {i} by Margaret Thompson, " + "and more words " * 200}]

    pipe = ScanPipeline(Policy.load(None), KEY, workers=2, batch_size=1, local_pieces=0)
    out = pipe.process(source())
    next(out)  # the workers are up and have batches queued
    workers = list(pipe._pool._processes.values())
    assert len(workers) == 2
    pipe.close(abort=True)  # what an interrupted import does
    assert pipe._pool is None
    # Terminated, not finished: an interrupted import does not wait for batches it is throwing away. A finished
    # worker exits 0. 255 is multiprocessing's own code for "exit status lost": the pool's thread and close() both
    # read a forkserver worker's status from one pipe and the second reader finds it drained (seen 2 in 30 runs).
    assert all(w.exitcode in (-signal.SIGTERM, 255) for w in workers), [w.exitcode for w in workers]
    out.close()

    done = ScanPipeline(Policy.load(None), KEY, workers=2, batch_size=1, local_pieces=0)
    list(done.process(iter([[{"text": "a post"}]] * 6)))
    workers = list(done._pool._processes.values())
    done.close()
    assert [w.exitcode for w in workers] == [0, 0]  # a finished scan lets its workers end by themselves


def _cpu_seconds(pid: int) -> float:
    import os

    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _documents(n: int) -> list[dict]:
    """Long records (about 9 kB of prose each, some PII), like the documents of an ordinary corpus."""
    posts = [str(r["text"]) for r in generate_records(n * 100, seed=14, pii_rate=0.3)]
    return [{"title": f"doc {i}", "body": " ".join(posts[i * 100 : (i + 1) * 100])} for i in range(n)]


@pytest.mark.slow
def test_long_documents_are_spread_over_both_workers_with_the_single_process_result():
    docs = _documents(24)
    assert all(len(d["body"]) > 6_000 for d in docs)
    one, stats_one = run(docs, workers=1)
    with ScanPipeline(Policy.load(None), KEY, workers=2, local_pieces=0, piece_chars=20_000) as pipe:
        two = [r for b in pipe.process(iter(batches(docs, 512))) for r in b]
        assert pipe._pool is not None
        busy = [_cpu_seconds(pid) for pid in pipe._pool._processes]
        stats_two = pipe.stats.to_dict()
    assert two == [r for b in one for r in b] and stats_two == stats_one
    # 24 documents in one input batch (fewer than 512 records): both workers scanned a fair share of them.
    assert len(busy) == 2 and min(busy) >= 0.25 * sum(busy) > 0


@pytest.mark.slow
def test_by_default_this_process_scans_while_the_workers_start_then_hands_over():
    records = list(generate_records(120, seed=15, pii_rate=0.8))
    expected = [r for b in run(records, workers=1)[0] for r in b]
    served = 0

    with ScanPipeline(Policy.load(None), KEY, workers=2, batch_size=8) as pipe:

        def source():
            nonlocal served
            # The same records again and again until the workers are warm; then once more, whole.
            while not (pipe._warm and all(f.done() for f in pipe._warm)):
                served += 8
                yield records[(served - 8) % 120 : (served - 8) % 120 + 8]
            served += 120
            yield records

        out = [r for b in pipe.process(source()) for r in b]
        assert pipe._pool_used  # the workers took over once they were ready
    assert served > 8  # and until then this process kept scanning pieces
    assert out[-len(expected) :] == expected


@pytest.mark.slow
def test_a_failure_inside_a_worker_is_one_line_naming_only_its_type():
    from aircluster.errors import AirclusterError

    with ScanPipeline(Policy.load(None), KEY, workers=2, batch_size=1, local_pieces=0) as pipe:
        out = pipe.process(iter([[{"text": "Margaret Thompson wrote"}], [["Margaret Thompson", "not a record"]]]))
        with pytest.raises(AirclusterError) as err:
            list(out)
    message = str(err.value)
    # A list where the detector takes a dict: a TypeError, from the source and the compiled build alike.
    assert message == "the privacy scan failed in a worker process (TypeError); the import was rolled back"
    assert err.value.__cause__ is None and err.value.__suppress_context__


@pytest.mark.slow
def test_workers_are_started_before_this_process_builds_its_own_detector(monkeypatch):
    from aircluster.privacy.review import fork_server, pipeline

    monkeypatch.setattr(fork_server, "warm", False)  # as in a process whose fork server is not up yet
    started_first: list[bool] = []

    class Recording(pipeline._Scanner):
        def __init__(self, *args, **kwargs):
            started_first.append(pipe._starter is not None or pipe._pool is not None)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_Scanner", Recording)
    records = list(generate_records(120, seed=16, pii_rate=0.8))
    with ScanPipeline(Policy.load(None), KEY, workers=2, batch_size=16, local_pieces=1) as pipe:
        out = [r for b in pipe.process(iter(batches(records, 40))) for r in b]
        assert pipe._pool_used
    # Its detector was built once, for the one piece reviewed here, and only after the workers' start began:
    # the fork server's import overlaps this process's build instead of following it.
    assert started_first == [True]
    monkeypatch.undo()
    assert out == [r for b in run(records, workers=1)[0] for r in b]


@pytest.mark.slow
def test_with_a_warm_fork_server_this_process_builds_no_detector(detector):
    records = list(generate_records(120, seed=17, pii_rate=0.8))
    expected, stats_one = run(records, workers=1)
    with ScanPipeline(Policy.load(None), KEY, workers=2, batch_size=1, local_pieces=0) as first:
        list(first.process(iter([[{"text": "a post"}]] * 2)))  # an earlier import: the fork server is now warm

    with ScanPipeline(Policy.load(None), KEY, workers=2, batch_size=16) as pipe:
        out = [list(b) for b in pipe.process(iter(batches(records, 40)))]
        assert pipe._pool_used and pipe._local is None  # every piece went to the workers, none was scanned here
        assert pipe.versions() == detector.versions()  # the report names the workers' detector, the same code
        assert pipe._local is None
        stats_two = pipe.stats.to_dict()
    assert out == expected and stats_two == stats_one

    # An import of one small piece too: forking ready workers is quicker than building a detector here.
    with ScanPipeline(Policy.load(None), KEY, workers=2) as small:
        one = [r for b in small.process(iter([[{"text": "Thanks Anna Berg, call +44 20 7946 0958"}]])) for r in b]
        assert small._pool_used and small._local is None
    assert one == [r for b in run([{"text": "Thanks Anna Berg, call +44 20 7946 0958"}], workers=1)[0] for r in b]


class _Unsendable(bytes):
    """Bytes that cannot be pickled: a record holding them can reach a worker only without them."""

    def __reduce__(self):
        raise TypeError("these bytes were sent to a worker")


def _images(n: int) -> list[dict]:
    names = ["Anna Berg", "John Smith", "the beach", "Margaret Thompson"]
    return [
        {
            "image": _Unsendable(b"\x89PNG" + bytes([i % 251]) * 2000),
            "label": "holiday",
            "file": f"{names[i % 4]} {i}.png",
            "meta": {"thumb": bytearray(b"\xff" * 16), names[i % 4]: "x"},
        }
        for i in range(n)
    ]


@pytest.mark.slow
def test_records_reach_the_workers_without_their_bytes_and_come_back_with_them():
    records = _images(60)
    one, stats_one = run(records, workers=1)
    with ScanPipeline(Policy.load(None), KEY, workers=2, batch_size=8, local_pieces=0) as pipe:
        two = [r for b in pipe.process(iter(batches(records, 20))) for r in b]
        assert pipe._pool_used and pipe._local is None  # every record went to a worker (bytes and all, they would fail)
        stats_two = pipe.stats.to_dict()
    assert two == [r for b in one for r in b] and stats_two == stats_one
    assert all("Anna Berg" not in r["file"] for r in two)  # changed records came back ...
    assert [r["image"] for r in two] == [r["image"] for r in records]  # ... with the bytes of the records read
    assert all(type(r["image"]) is _Unsendable for r in two)


@pytest.mark.slow
def test_workers_ready_in_the_middle_of_a_piece_take_the_rest_of_it(monkeypatch):
    from aircluster.privacy.review import fork_server

    with ScanPipeline(Policy.load(None), KEY, workers=2, batch_size=1, local_pieces=0) as first:
        list(first.process(iter([[{"text": "a post"}]] * 2)))  # the fork server is warm: workers start in milliseconds
    monkeypatch.setattr(fork_server, "warm", False)  # but this process does not know it: it starts scanning here
    records = list(generate_records(400, seed=18, pii_rate=0.8))
    with ScanPipeline(Policy.load(None), KEY, workers=2, batch_size=400, piece_chars=10**9) as pipe:
        out = [list(b) for b in pipe.process(iter([records]))]
        assert pipe._pool_used and pipe._local is not None
    monkeypatch.undo()
    # One piece of 400 records: its first slice was reviewed here (building a detector takes far longer than the
    # workers' start), the rest went to the workers as soon as they were ready, not after the whole piece.
    assert len(out[0]) <= 100 and len(out) == 2
    assert [r for b in out for r in b] == [r for b in run(records, workers=1)[0] for r in b]
