"""`make bench`: every benchmark, one after the other, then one summary table for the README.

    python benchmarks/run.py            # the full set (about 12 minutes with the query cache built)
    python benchmarks/run.py --quick    # smaller sizes: a few minutes
    python benchmarks/run.py --only extraction,ingest --markdown bench.md

Each benchmark runs in its own process with ``--json`` to a temporary file; its own
output is shown as it runs. The table at the end (markdown, ready to paste into the
README's Performance section) puts newsarchive's figures beside the peers and floors
measured in the same run, with the ratios and targets. A benchmark that fails, or
gives no figures, shows its error in its rows; the others still run.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import deque
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

NAMES = ["extraction", "crawl", "ingest", "query"]
SEARCH_TARGET_MS = 50
SHOW_TARGET_MS = 20
CRAWL_TARGET = 500          # article pages per second
FLAT_MEMORY = 1.05          # peak RSS at the largest crawl / at the smallest: flat within noise
NEARLY_FLAT_MEMORY = 1.2
CONSTANT_EXPORT = 1.5       # export peak RSS of everything / of one day


# --- the machine ----------------------------------------------------------------

def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _ram_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.0f} GB RAM"
    except OSError:
        pass
    return "RAM unknown"


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


def _git() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return f", git {head}{' with uncommitted changes' if dirty else ''}" if head else ""


def header(started: datetime) -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return (f"Measured {started:%Y-%m-%d %H:%M} UTC on {platform.platform()} ({os.cpu_count()} cores, "
            f"{_cpu_model()}, {_ram_gb()}; load average {load} at the start), "
            f"Python {platform.python_version()}, lxml {_version('lxml')}, trafilatura {_version('trafilatura')}, "
            f"newspaper4k {_version('newspaper4k')}, Scrapy {_version('scrapy')}, SQLite {sqlite3.sqlite_version}, "
            f"newsarchive {_version('newsarchive')}{_git()}.")


# --- running one benchmark ------------------------------------------------------

def _supports_json(script: Path) -> bool:
    result = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    return "--json" in result.stdout


def run_benchmark(name: str, args: list[str], tmp: Path) -> dict:
    """Runs benchmarks/NAME.py, echoing its output; returns {figures, error, seconds}."""
    script = HERE / f"{name}.py"
    print(f"== {name}.py {' '.join(args)}", flush=True)
    started = time.monotonic()
    outcome: dict = {"figures": None, "error": None}
    try:
        json_path = tmp / f"{name}.json"
        with_json = _supports_json(script)
        command = [sys.executable, "-u", str(script), *args] + (["--json", str(json_path)] if with_json else [])
        tail: deque[str] = deque(maxlen=40)
        with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env=dict(os.environ, PYTHONUNBUFFERED="1")) as proc:
            for line in proc.stdout:
                print(line, end="", flush=True)
                tail.append(line.rstrip())
        if proc.returncode != 0:
            last = next((line.strip() for line in reversed(tail) if line.strip()), "")
            outcome["error"] = f"exit status {proc.returncode}: {last}" if last else f"exit status {proc.returncode}"
        elif not with_json:
            outcome["error"] = f"not available: {name}.py has no --json option yet (its figures are printed above)"
        elif not json_path.exists():
            outcome["error"] = f"not available: {name}.py wrote no --json file"
        else:
            outcome["figures"] = json.loads(json_path.read_text())
    except Exception as exc:  # a benchmark that cannot even start is one failed row
        outcome["error"] = f"{type(exc).__name__}: {exc}"
    outcome["seconds"] = time.monotonic() - started
    print(f"== {name}.py took {outcome['seconds']:.0f} s" + (f": {outcome['error']}" if outcome["error"] else ""),
          end="\n\n", flush=True)
    return outcome


# --- the table ------------------------------------------------------------------

def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _ms(value: float) -> str:
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def _x(ratio: float, target: float) -> str:
    """A ratio to one decimal, or more where one would round onto the target (4.97 is not 5.0)."""
    for digits in (1, 2, 3):
        text = f"{ratio:.{digits}f}"
        if float(text) != target or ratio == target:
            break
    return text + "x"


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def extraction_rows(fig: dict) -> list[list[str]]:
    rows = []
    names = {"sample": "full record from sample-site articles", "fixtures": "full record from the theme fixtures"}
    for key, data in fig["sets"].items():
        ms = data["ms_per_page"]
        ours, traf, floor, news = ms["newsarchive"], ms["trafilatura"], ms["lxml"], ms.get("newspaper4k")
        errors = data.get("errors") or {}
        if news is not None:
            news_cell = f"newspaper4k {_ms(news)}"
            news_ratio = f"{news / ours:.1f}x faster than newspaper4k; "
        else:
            reason = next((v for k, v in errors.items() if "newspaper" in k), None) or fig.get("newspaper4k_missing")
            news_cell = f"newspaper4k: {reason or 'not measured'}"
            news_ratio = ""
        fallback = (data.get("paths") or {}).get("fallback")
        fallback_note = (f" ({fallback['pages']} of them through the generic fallback, trafilatura:"
                         f" {_ms(fallback['newsarchive'])}/page, {fallback['newsarchive'] / fallback['lxml']:.0f}x"
                         " their parse)") if fallback else ""
        rows.append([
            f"{names.get(key, data['title'])}, {data['pages']} pages of {data['mean_kb']:.0f} KB on average"
            f" (`extraction.py`, best of {fig['rounds']} interleaved rounds)",
            f"{_ms(ours)}/page{fallback_note}",
            f"`trafilatura.bare_extraction` {_ms(traf)}; {news_cell}; bare `lxml.html` parse {_ms(floor)}",
            f"{_x(traf / ours, 5)} faster than trafilatura; {news_ratio}{_x(ours / floor, 4)} the parse",
            f">= 5x trafilatura: {_met(traf / ours >= 5)}; <= 4x the parse: {_met(ours / floor <= 4)}",
        ])
    return rows


def _crawl_peers(fig: dict, rate: float) -> tuple[str, str]:
    """The ceilings crawl.py measured at its largest size, and how near the crawl comes to them."""
    peers, ratios = [], []
    scrapy = fig.get("scrapy_alone_pages_per_s")
    if scrapy:
        peers.append(f"Scrapy alone (same crawl, no parse, no store) {scrapy:.0f}/s")
        ratios.append(f"{rate / scrapy:.0%} of Scrapy alone")
    ceilings = fig.get("ceilings") or {}
    raw = [(label, ceilings[key]["article_pages_per_s"]) for label, key in
           (("cold", "raw_http_cold"), ("warm", "raw_http_warm")) if key in ceilings]
    if raw:
        peers.append("sample server alone, raw HTTP " + ", ".join(f"{v:.0f}/s {k}" for k, v in raw))
    if fig.get("parse_ms") is not None:
        peers.append(f"parse alone {_ms(fig['parse_ms'])}/page")
        ratios.append(f"parse is {fig['parse_ms'] * rate / 10:.0f}% of the crawl's {_ms(1000 / rate)}/page")
    return "; ".join(peers), "; ".join(ratios)


def crawl_rows(fig: dict) -> list[list[str]]:
    sizes = sorted(fig["sizes"], key=lambda s: s["articles"])
    rows = []
    for size in sizes:
        rate = size["article_pages_per_s"]
        parse = share = ""
        if size is sizes[-1]:
            parse, share = _crawl_peers(fig, rate)
        rows.append([f"crawl of the loopback sample site, {size['articles']:,} articles: fetch, parse, store "
                     f"(`crawl.py`)", f"{rate:.0f} article pages/s ({size['seconds']:.0f} s)", parse, share,
                     f">= {CRAWL_TARGET}/s: {_met(rate >= CRAWL_TARGET)}"])
    largest, smallest = sizes[-1], sizes[0]
    if len(sizes) > 1:
        ratio = largest["peak_rss_mb"] / smallest["peak_rss_mb"]
        growth = largest["articles"] / smallest["articles"]
        others = "; ".join(f"{s['peak_rss_mb']:.0f} MB at {s['articles']:,}" for s in sizes[:-1])
        rows.append(["peak memory of that crawl (`crawl.py`)",
                     f"{largest['peak_rss_mb']:.0f} MB at {largest['articles']:,} articles", others,
                     f"{ratio:.2f}x for {growth:.0f}x the site",
                     "flat: met" if ratio <= FLAT_MEMORY else
                     f"flat: **nearly** (+{largest['peak_rss_mb'] - smallest['peak_rss_mb']:.0f} MB)"
                     if ratio <= NEARLY_FLAT_MEMORY else "flat: **missed**"])
    else:
        rows.append(["peak memory of that crawl (`crawl.py`)",
                     f"{largest['peak_rss_mb']:.0f} MB at {largest['articles']:,} articles", "", "",
                     "flat: needs two sizes"])
    return rows


def ingest_rows(fig: dict) -> list[list[str]]:
    new, same = fig["new"], fig["unchanged"]
    return [[
        f"archive ingest, {fig['records']:,} parsed sample-site articles into a fresh file, "
        f"one transaction each, raw HTML gzipped (`ingest.py`)",
        f"{new['records_per_s']:.0f} records/s new; {same['records_per_s']:,.0f} records/s unchanged",
        f"of a new record's {_ms(new['ms_per_record'])}: gzip {_ms(new['gzip_ms_per_record'])} "
        f"(a worker thread in a crawl), SQLite {_ms(new['ms_per_record'] - new['gzip_ms_per_record'])}",
        f"{fig['db_mb'] / fig['records'] * 1024:.0f} KB of archive per article",
        "none set (the crawl's 500 pages/s would need 2 ms a record)",
    ]]


def query_rows(fig: dict) -> list[list[str]]:
    rows = []
    articles = f"{fig['articles']:,} articles"
    searches = fig["search"]
    fast = [s for s in searches if s["median_ms"] < SEARCH_TARGET_MS]
    slow = sorted((s for s in searches if s["median_ms"] >= SEARCH_TARGET_MS), key=lambda s: s["median_ms"])
    worst = max(searches, key=lambda s: s["median_ms"])
    ours = (f"{min(s['median_ms'] for s in fast):.0f}-{max(s['median_ms'] for s in fast):.0f} ms median "
            f"for {len(fast)} of {len(searches)} queries" if fast else f"no query under {SEARCH_TARGET_MS} ms")
    beside = ("; ".join(f"`{s['query']}` {_ms(s['median_ms'])}" for s in slow) if slow
              else f"slowest: `{worst['query']}` {_ms(worst['median_ms'])}")
    rows.append([f"full-text search, first page of 20, {articles} (`query.py`)", ours, beside, "",
                 f"< {SEARCH_TARGET_MS} ms: " + ("met" if not slow else
                                                 f"**missed** for {len(slow)} of {len(searches)}")])
    show = fig.get("show") or {}
    if show:
        medians = [v["median_ms"] for v in show.values()]
        rows.append([f"`show` of one article, {articles} (`query.py`)",
                     " / ".join(f"{_ms(v['median_ms'])} {k}" for k, v in show.items()) + " (median)",
                     "p95 " + " / ".join(_ms(v["p95_ms"]) for v in show.values()), "",
                     f"< {SHOW_TARGET_MS} ms: {_met(max(medians) < SHOW_TARGET_MS)}"])
    exports = fig.get("export")
    if exports is not None:
        failed = [e for e in exports if "error" in e]
        if failed:
            rows.append([f"`export`, {articles} (`query.py`)", f"**failed**: {failed[0]['error']}", "", "", ""])
        else:
            everything = [e for e in exports if e["scope"] == "everything"]
            first_day = [e for e in exports if e["scope"] == "first day"]
            peak_all = max(e["peak_rss_mb"] for e in everything)
            peak_day = max(e["peak_rss_mb"] for e in first_day)
            ratio = peak_all / peak_day
            rows.append([f"`export` of all {everything[0]['versions']:,} versions (`query.py`)",
                         ", ".join(f"{e['seconds']:.0f} s {e['format'].upper()}" for e in everything)
                         + f", peak RSS {peak_all:.0f} MB",
                         f"{peak_day:.0f} MB for one day's {first_day[0]['versions']:,}",
                         f"{ratio:.2f}x", f"constant (<= {CONSTANT_EXPORT}x): {_met(ratio <= CONSTANT_EXPORT)}"])
    return rows


ROWS = {"extraction": extraction_rows, "crawl": crawl_rows, "ingest": ingest_rows, "query": query_rows}


def table(outcomes: dict[str, dict]) -> list[str]:
    lines = ["| what (benchmark) | newsarchive | same run: peers / floor | ratio | target |",
             "| --- | --- | --- | --- | --- |"]
    for name, outcome in outcomes.items():
        rows = None
        error = outcome["error"]
        if outcome["figures"] is not None:
            try:
                rows = ROWS[name](outcome["figures"])
            except Exception as exc:
                error = f"figures unreadable: {type(exc).__name__}: {exc}"
        if rows is None:
            missing = error.startswith("not available: ")
            rows = [[f"`{name}.py`", "**not available**" if missing else "**failed**",
                     error.removeprefix("not available: "), "", ""]]
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


# --- main -----------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller sizes: 30 pages x 3 rounds, crawl 300,1000, ingest 500, query 10,000 articles")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(NAMES)}")
    parser.add_argument("--pages", type=int, help="extraction: sample-site pages (default 120)")
    parser.add_argument("--rounds", type=int, help="extraction: rounds (default 7)")
    parser.add_argument("--crawl-sizes", help="crawl: site sizes (default 1000,10000)")
    parser.add_argument("--ingest-records", type=int, help="ingest: records (default 2000)")
    parser.add_argument("--query-articles", type=int, help="query: archive size (default 100000)")
    parser.add_argument("--markdown", metavar="PATH", help="also write the header and table to PATH")
    parser.add_argument("--json", metavar="PATH", help="also write every benchmark's figures to PATH")
    args = parser.parse_args(argv)

    quick = args.quick

    def pick(given, quick_value, full_value) -> str:
        return str(given if given is not None else quick_value if quick else full_value)

    options = {
        "extraction": ["--pages", pick(args.pages, 30, 120), "--rounds", pick(args.rounds, 3, 7)],
        "crawl": ["--sizes", pick(args.crawl_sizes, "300,1000", "1000,10000")],
        "ingest": ["--records", pick(args.ingest_records, 500, 2000)],
        "query": ["--articles", pick(args.query_articles, 10_000, 100_000)],
    }
    names = NAMES
    if args.only:
        chosen = {n.strip().removesuffix(".py") for n in args.only.split(",") if n.strip()}
        if chosen - set(NAMES):
            parser.error(f"unknown benchmark(s): {', '.join(sorted(chosen - set(NAMES)))}")
        names = [n for n in NAMES if n in chosen]

    started = datetime.now(timezone.utc)
    head = header(started)
    print(f"newsarchive benchmarks{' (--quick)' if quick else ''}\n{head}\n", flush=True)
    outcomes: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="newsarchive-bench-") as tmp:
        for name in names:
            outcomes[name] = run_benchmark(name, options[name], Path(tmp))

    total = sum(o["seconds"] for o in outcomes.values())
    summary = [head + (" Quick variant (`benchmarks/run.py --quick`)." if quick else ""), "", *table(outcomes)]
    print(f"== summary ({total / 60:.1f} minutes)\n")
    print("\n".join(summary))
    if args.markdown:
        Path(args.markdown).write_text("\n".join(summary) + "\n")
    if args.json:
        Path(args.json).write_text(json.dumps({"header": head, "options": {n: options[n] for n in names},
                                               "results": outcomes}, indent=2) + "\n")
    # Figures a benchmark does not write yet are no failure; a benchmark that failed is.
    return 1 if any(o["error"] and not o["error"].startswith("not available") for o in outcomes.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
