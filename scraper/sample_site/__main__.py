"""``python -m scraper.sample_site [--port N] [--articles N] [--seed N]``"""
import argparse

from .server import serve_forever

parser = argparse.ArgumentParser(prog="python -m scraper.sample_site", description="Serve the sample news site.")
parser.add_argument("--port", type=int, default=8642)
parser.add_argument("--articles", type=int, default=320)
parser.add_argument("--seed", type=int, default=2025)
args = parser.parse_args()
serve_forever(args.port, articles=args.articles, seed=args.seed)
