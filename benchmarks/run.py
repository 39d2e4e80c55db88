"""`make bench`: every benchmark, one after the other, figures printed for the README."""
from __future__ import annotations

import platform
import subprocess
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["extraction.py", "crawl.py", "query.py"]


def main() -> int:
    import os

    print(f"newsarchive benchmarks, {date.today()}, {platform.machine()} with {os.cpu_count()} cores,"
          f" Python {platform.python_version()}\n")
    status = 0
    for name in BENCHMARKS:
        print(f"== {name}")
        status |= subprocess.call([sys.executable, str(HERE / name)])
    return status


if __name__ == "__main__":
    sys.exit(main())
