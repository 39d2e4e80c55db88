"""newsarchive: crawl news sites with Scrapy and archive normalized article records in SQLite."""

__version__ = "0.1.0"
