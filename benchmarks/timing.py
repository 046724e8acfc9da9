"""Timing requests through the ASGI app in this process, for the page and search benchmarks (web.py, search.py).

Each URL is requested once to warm up (templates compiled, caches filled), then ``runs`` times; a table gives
its p50 and p95 of wall-clock milliseconds, the median CPU milliseconds of this process per request (on a busy
machine the steadier figure: it leaves out time spent waiting for a core, and on PostgreSQL the server's own
work), and the ratio of its p95 to a bare ``/health`` measured in the same run. The load average opens and
closes the table: other processes on the machine inflate every wall-clock figure.
"""

from __future__ import annotations

import os
import statistics
import time

from fastapi.testclient import TestClient


def pct(values: list[float], p: float) -> float:
    """The ``p``-th percentile (1 to 99) of ``values``, the inclusive method; the value itself for one."""
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


def load_average() -> str:
    return f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores"


def measure(client: TestClient, url: str, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of ``runs`` requests of ``url`` after a warm-up; stops on a non-200."""
    client.get(url)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        res = client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        if res.status_code != 200:
            raise SystemExit(f"{url}: HTTP {res.status_code}")
    return wall, cpu


class Timings:
    """One table of URLs against a goal for their p95, after a ``/health`` baseline: ``row(url)`` measures and
    prints a URL, ``worst`` is the slowest p95 so far, ``missed`` the URLs over the goal."""

    def __init__(self, client: TestClient, runs: int, goal_ms: float, title: str = "page", width: int = 48):
        self.client, self.runs, self.goal_ms, self.width = client, runs, goal_ms, width
        self.worst = 0.0
        self.missed: list[str] = []
        print(f"{load_average()} (other processes inflate the wall-clock figures; CPU ms is this process's)")
        print(f"{title:{width}} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>7} {'p95/health':>11}")
        wall, cpu = measure(client, "/health", runs)
        self.base95 = pct(wall, 95)
        print(f"{'/health (baseline)':{width}} {pct(wall, 50):8.1f} {self.base95:8.1f} "
              f"{statistics.median(cpu):7.1f} {1.0:11.1f}")

    def row(self, url: str) -> float:
        wall, cpu = measure(self.client, url, self.runs)
        p95 = pct(wall, 95)
        self.worst = max(self.worst, p95)
        flag = ""
        if p95 >= self.goal_ms:
            self.missed.append(url)
            flag = f"  over {self.goal_ms:.0f} ms"
        print(f"{url:{self.width}} {pct(wall, 50):8.1f} {p95:8.1f} {statistics.median(cpu):7.1f} "
              f"{p95 / self.base95:11.1f}{flag}")
        return p95

    def close(self) -> None:
        print(f"{load_average()} at the end")
