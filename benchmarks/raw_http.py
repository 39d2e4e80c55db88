"""How fast the sample server answers a list of URLs, fetched without Scrapy.

    python benchmarks/raw_http.py URLS_FILE [--concurrency 32]

A tight asyncio loop over plain sockets: CONCURRENCY keep-alive HTTP/1.1
connections, each sending its next GET as soon as the last answer's body
(Content-Length bytes) is in. No parsing, no middleware: the server's own
ceiling for these pages, less what this small client costs on the same cores.
Prints one JSON line: pages, seconds, CPU seconds of this process, non-200 answers.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from urllib.parse import urlsplit


async def _worker(host: str, port: int, paths: list[str], next_index, counts: dict) -> None:
    reader = writer = None
    try:
        while True:
            i = next_index()
            if i is None:
                return
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(f"GET {paths[i]} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: raw_http\r\n"
                         f"Accept-Encoding: identity\r\n\r\n".encode("latin-1"))
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            close = False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            if length:
                await reader.readexactly(length)
            counts["pages"] += 1
            if status != 200:
                counts["not_200"] += 1
            if close:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


async def fetch_all(urls: list[str], concurrency: int) -> dict:
    first = urlsplit(urls[0])
    host, port = first.hostname, first.port or 80
    paths = [(u.path or "/") + (f"?{u.query}" if u.query else "") for u in map(urlsplit, urls)]
    position = iter(range(len(paths)))
    counts = {"pages": 0, "not_200": 0}

    def next_index():
        return next(position, None)

    started = time.monotonic()
    await asyncio.gather(*(_worker(host, port, paths, next_index, counts) for _ in range(concurrency)))
    counts["seconds"] = time.monotonic() - started
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls_file")
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args(argv)
    with open(args.urls_file, encoding="utf-8") as f:
        urls = [line.strip() for line in f if line.strip()]
    result = asyncio.run(fetch_all(urls, args.concurrency))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
