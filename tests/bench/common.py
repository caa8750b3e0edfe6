"""What the benchmark scripts share: where they write, their settings, percentiles, reports.

The scripts run from the repository's root as modules (``python -m tests.bench.site``), as the
``make bench…`` targets run them.
"""

import contextlib
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "var" / "bench"

FESTIVALS = [
    ("Lễ hội Lồng Tồng", "Lồng Tồng festival", "Lễ xuống đồng cầu mùa của người Tày, Nùng."),
    ("Lễ cấp sắc", "Coming-of-age ordination", "Nghi lễ trưởng thành của nam giới người Dao."),
    ("Hội Gầu Tào", "Gau Tao festival", "Lễ hội cầu phúc, cầu con của người Mông."),
    ("Lễ mừng lúa mới", "New rice celebration", "Người Ê Đê mừng vụ lúa mới sau mùa gặt."),
    ("Lễ hội Katê", "Kate festival", "Lễ hội lớn nhất trong năm của người Chăm Bà-la-môn."),
    ("Lễ Sene Dolta", "Sene Dolta", "Lễ cúng ông bà của đồng bào Khmer Nam Bộ."),
    ("Nghề dệt thổ cẩm", "Brocade weaving", "Nghề dệt truyền thống của phụ nữ Thái."),
    ("Hát then", "Then singing", "Nghi lễ hát then, đàn tính của người Tày."),
]
"""Heritage titles (Vietnamese, English) and summaries the seeded records are made from."""


def production_environment(var_dir: Path, database_url: str) -> None:
    """Production settings against a throw-away database, before Django is set up."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "x" * 50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "OUTREACH_HASH_KEY": os.environ.get("OUTREACH_HASH_KEY", "bench-" + "h" * 50),
            "SECURE_SSL_REDIRECT": "0",
            "VAR_DIR": str(var_dir),
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "WARNING",
        }
    )


@contextmanager
def throwaway_site(name: str, *, server: bool = True) -> Iterator[Path]:
    """Django set up under production settings on a throw-away database, migrated and with
    its static files collected; yields the working folder, removed afterwards. The database
    is SQLite in that folder (``<name>.sqlite3``), or the server ``DATABASE_URL`` names when
    ``server`` allows."""
    with tempfile.TemporaryDirectory(prefix=f"banlang-bench-{name}-") as folder:
        workdir = Path(folder)
        database = (os.environ.get("DATABASE_URL", "") if server else "") or (
            f"sqlite:///{workdir / f'{name}.sqlite3'}"
        )
        production_environment(workdir / "var", database)
        import django
        from django.core.management import call_command

        django.setup()
        with contextlib.redirect_stdout(io.StringIO()):
            call_command("migrate", interactive=False, verbosity=0)
            call_command("collectstatic", interactive=False, verbosity=0)
        yield workdir


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def write_report(name: str, results: object) -> Path:
    """Write ``var/bench/<name>.json``; return its path relative to the repository."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    output = BENCH_DIR / f"{name}.json"
    output.write_text(json.dumps(results, indent=2) + "\n")
    return output.relative_to(ROOT)


def time_admin_pages(
    user: object, urls: list[str], requests: int
) -> tuple[list[float], list[float]]:
    """Milliseconds of ``user``'s first visit of each of ``urls`` (cold), then of ``requests``
    more cycling through them, through Django's test client; any answer but 200 stops the run."""
    from django.test import Client

    client = Client()
    client.force_login(user)

    def visit(url: str) -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return elapsed

    first = [visit(url) for url in urls]
    return first, [visit(urls[number % len(urls)]) for number in range(requests)]


def report(name: str, figures: list[tuple[str, object, str]]) -> None:
    """Print ``figures`` (metric, value, unit) as a table and write them to
    ``var/bench/<name>.json``."""
    results = [{"metric": metric, "value": value, "unit": unit} for metric, value, unit in figures]
    print(f"{'metric':<30} {'value':>10}  unit")
    for row in results:
        print(f"{row['metric']:<30} {row['value']:>10}  {row['unit']}")
    print(f"written to {write_report(name, results)}")


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(workers: int = 2) -> Iterator[int]:
    """gunicorn serving the site with the current environment; yields its port once it accepts
    connections, and stops it afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cms.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
