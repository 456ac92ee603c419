#!/usr/bin/env python3
"""The disk's own sync latency, alone or with others syncing at once.

    bench/sync-probe.py DIR [N] [SAMPLES]

N threads (default 1) each append 4 KiB to a file of their own in DIR and then fdatasync it, all
N syncs started together, SAMPLES times (default 200); only the fdatasync is timed. Prints the
median time until the first, second, ... Nth of each round's syncs was done, in microseconds,
one per line. With N=1 the line is what run-vs-etcd.sh holds one connection's write p50 against;
with N=3 the second line is what a three-member cluster on one disk waits for at the least (the
leader's sync and the first follower's; the third member syncs at the same moment).
"""
import os
import statistics
import sys
import threading
import time


def main():
    directory = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    samples = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    paths = [os.path.join(directory, f"sync-probe-{os.getpid()}-{i}") for i in range(n)]
    fds = [os.open(p, os.O_WRONLY | os.O_CREAT, 0o600) for p in paths]
    micros = [[0.0] * samples for _ in range(n)]
    together = threading.Barrier(n)
    failures = []

    def run(i):
        try:
            for r in range(samples):
                os.pwrite(fds[i], b"x" * 4096, r * 4096)  # appended: the file grows, as a WAL does
                together.wait(timeout=60)
                t = time.perf_counter_ns()
                os.fdatasync(fds[i])
                micros[i][r] = (time.perf_counter_ns() - t) / 1000
        except Exception as e:  # the others must not wait for this one at the barrier forever
            failures.append(f"sync-probe: thread {i}: {e!r}")
            together.abort()

    try:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for fd, p in zip(fds, paths):
            os.close(fd)
            os.unlink(p)
    if failures:
        sys.exit("\n".join(failures))
    rounds = [sorted(micros[i][r] for i in range(n)) for r in range(samples)]
    for k in range(n):
        print(int(statistics.median(r[k] for r in rounds)))


if __name__ == "__main__":
    main()
