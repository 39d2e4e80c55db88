"""What every `newsarchive` command shares in reading its arguments: one-line usage errors and checked numbers."""
from __future__ import annotations

import argparse


class CommandParser(argparse.ArgumentParser):
    """A usage error is one line on stderr and exit code 2, pointing at --help rather than printing the usage block.

    Options are taken only as spelt in full: argparse's abbreviations (``--max-page`` for
    ``--max-pages``) would silently change meaning the day an option is added.
    An unknown option is reported by the (sub)command it was given to, with the nearest
    option's name.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")

    def parse_args(self, args=None, namespace=None):  # type: ignore[override]
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = self._command(parsed)
            hint = command._nearest_option(extras)
            command.error(f"unrecognized arguments: {' '.join(extras)}" + (f"; did you mean {hint}?" if hint else ""))
        undecodable = self._undecodable(parsed)
        if undecodable:
            self._command(parsed).error(
                f"{undecodable} is not UTF-8 text (typed in a terminal with another encoding, such as Shift_JIS "
                "or GBK?)")
        return parsed

    def _undecodable(self, parsed: argparse.Namespace) -> "str | None":
        """The name of an argument that is not text: bytes that are not UTF-8 reach Python as
        lone surrogates, which SQLite, URLs and regular expressions cannot take (a traceback).
        File names are any bytes: they are left alone."""
        paths = set(_PATH_ARGUMENTS)
        if getattr(parsed, "via", None) == "urls":
            paths |= {"url"}  # a file of URLs
        for name, value in vars(parsed).items():
            values = value if isinstance(value, list) else [value]
            if name not in paths and any(isinstance(v, str) and not _is_text(v) for v in values):
                option = next((o for a in self._command(parsed)._actions if a.dest == name
                               for o in a.option_strings if o.startswith("--")), None)
                return option or f"the {name}"
        return None

    def _command(self, parsed: argparse.Namespace) -> "argparse.ArgumentParser":
        """The parser of the (sub)command that ``parsed`` came from."""
        parser = self
        while True:
            actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
            chosen = getattr(parsed, actions[0].dest, None) if actions and actions[0].dest else None
            if chosen not in (actions[0].choices if actions else {}):
                return parser
            parser = actions[0].choices[chosen]

    def _nearest_option(self, extras) -> "str | None":
        import difflib

        options = [o for action in self._actions for o in action.option_strings if o.startswith("--")]
        for extra in extras:
            if extra.startswith("--"):
                match = difflib.get_close_matches(extra.split("=", 1)[0], options, n=1, cutoff=0.8)
                if match:
                    return match[0]
        return None


# Arguments that name files (a file name may be any bytes, not UTF-8 text).
_PATH_ARGUMENTS = ("db", "output", "files", "warc", "job")


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


# The largest whole number SQLite stores: a count, id or version beyond it cannot be asked of the archive.
SQLITE_MAX_INT = 2**63 - 1


def row_count(text: str) -> int:
    """A positive whole number SQLite can take (a --limit, a version number): at most SQLITE_MAX_INT."""
    value = positive_int(text)
    if value > SQLITE_MAX_INT:
        raise argparse.ArgumentTypeError(f"must be at most {SQLITE_MAX_INT}, not {text}")
    return value


def port_number(text: str) -> int:
    """A TCP port; 0 asks the system for a free one."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 0 to 65535, not {value}")
    return value


# Read with Settings.getfloat although their default is a whole number.
_FLOAT_SETTINGS = {"AUTOTHROTTLE_MAX_DELAY", "AUTOTHROTTLE_START_DELAY", "CLOSESPIDER_TIMEOUT", "DNS_TIMEOUT",
                   "DOWNLOAD_DELAY", "DOWNLOAD_DELAY_JITTER", "DOWNLOAD_TIMEOUT", "LOGSTATS_INTERVAL"}
# Checked by their own parsers ("1G" is a WARC_MAX_SIZE): scraper.cli._warc_dir.
_OWN_PARSER = {"WARC_MAX_SIZE", "WARC_GZIP_LEVEL"}


def _setting_defaults() -> dict:
    from scrapy.settings import default_settings

    from . import settings as ours

    return {name: getattr(module, name) for module in (default_settings, ours)
            for name in dir(module) if name.isupper()}


# Settings whose values below these make no crawl: a zero per-domain concurrency waits for a
# free slot for ever (the crawl hangs, deaf to the first Ctrl-C), and a negative delay,
# timeout or count means nothing Scrapy documents.
_AT_LEAST_ONE = frozenset({"CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "CONCURRENT_ITEMS"})
_POSITIVE = frozenset({"AUTOTHROTTLE_TARGET_CONCURRENCY"})
_NOT_NEGATIVE = frozenset({
    "DOWNLOAD_DELAY", "DOWNLOAD_TIMEOUT", "RETRY_TIMES", "AUTOTHROTTLE_START_DELAY", "AUTOTHROTTLE_MAX_DELAY",
    "CONCURRENT_REQUESTS_PER_IP", "DEPTH_LIMIT", "CLOSESPIDER_PAGECOUNT", "CLOSESPIDER_ITEMCOUNT",
    "CLOSESPIDER_TIMEOUT", "CLOSESPIDER_ERRORCOUNT", "DOWNLOAD_MAXSIZE", "DOWNLOAD_WARNSIZE",
    "REDIRECT_MAX_TIMES", "METAREFRESH_MAXDELAY",
})


def _check_range(name: str, number: float, shown: str) -> None:
    if name in _AT_LEAST_ONE and number < 1:
        raise ValueError(f"{shown}: {name} must be at least 1")
    if name in _POSITIVE and number <= 0:
        raise ValueError(f"{shown}: {name} must be more than 0")
    if name in _NOT_NEGATIVE and number < 0:
        raise ValueError(f"{shown}: {name} cannot be negative")


def _check_slots(slots: dict, shown: str) -> None:
    """DOWNLOAD_SLOTS: {"host": {"concurrency": N, "delay": S, ...}}; a concurrency under 1
    hangs the crawl as CONCURRENT_REQUESTS_PER_DOMAIN=0 does."""
    for host, slot in slots.items():
        if not isinstance(slot, dict):
            raise ValueError(f"{shown}: DOWNLOAD_SLOTS gives each host a JSON object, not {slot!r} for {host!r}")
        concurrency, delay = slot.get("concurrency", 1), slot.get("delay", 0)
        if not isinstance(concurrency, int) or isinstance(concurrency, bool) or concurrency < 1:
            raise ValueError(f"{shown}: the concurrency of {host!r} must be a whole number of at least 1")
        if not isinstance(delay, (int, float)) or isinstance(delay, bool) or delay < 0:
            raise ValueError(f"{shown}: the delay of {host!r} must be a number of seconds, not negative")


def check_setting(name: str, value: str) -> None:
    """Raise ValueError naming ``-s NAME=VALUE`` if VALUE cannot be read as the type of
    NAME's default (Scrapy's or ours): a number, True/False, a JSON object, a list of
    whole numbers. Names without a known type pass as they are."""
    default = _setting_defaults().get(name)
    if name in _OWN_PARSER or default is None or isinstance(default, str):
        return
    shown = f"-s {name}={value}"
    if isinstance(default, bool):
        # Scrapy's Settings.getbool: a whole number, or True/False.
        if value not in ("True", "true", "False", "false"):
            try:
                int(value)
            except ValueError:
                raise ValueError(f"{shown}: {name} is True or False, not {value!r}") from None
    elif isinstance(default, (int, float)):
        if isinstance(default, int) and name not in _FLOAT_SETTINGS:
            try:
                int(value)
            except ValueError:
                raise ValueError(f"{shown}: {name} takes a whole number, not {value!r}") from None
        else:
            try:
                number = float(value)
            except ValueError:
                number = None
            if number is None or number != number or number in (float("inf"), float("-inf")):
                raise ValueError(f"{shown}: {name} takes a number, not {value!r}")
        _check_range(name, float(value), shown)
    elif isinstance(default, dict):
        import json

        try:
            parsed = json.loads(value)
        except ValueError as exc:
            raise ValueError(f"{shown}: {name} takes a JSON object, and this is not JSON ({exc})") from None
        if not isinstance(parsed, dict):
            raise ValueError(f"{shown}: {name} takes a JSON object ({{...}}), not {value!r}")
        if name == "DOWNLOAD_SLOTS":
            _check_slots(parsed, shown)
    elif isinstance(default, (list, tuple)) and default and all(
            isinstance(x, int) and not isinstance(x, bool) for x in default):
        # Settings.getlist splits a string at commas; each part is read with int().
        for part in value.split(",") if value else []:
            try:
                int(part)
            except ValueError:
                raise ValueError(f"{shown}: {name} takes whole numbers separated by commas, "
                                 f"not {part.strip()!r}") from None
