"""A bundled, deterministic WordPress-style news site to crawl and test against.

``SampleSite(articles=320, seed=2025)`` builds the site in memory (bodies are
generated lazily); ``site.render(path, base_url)`` returns ``(status, content
type, body)``; ``site.ground_truth(base_url)`` lists what a correct parser must
extract from every article page. ``SampleSiteServer`` serves it over real HTTP
on 127.0.0.1, and :func:`serve_forever` does so in the foreground.
"""
from .server import SampleSiteServer, serve_forever
from .site import SampleSite

__all__ = ["SampleSite", "SampleSiteServer", "serve_forever"]
