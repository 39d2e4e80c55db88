"""When a schedule runs: ``--every 1h30m`` intervals and ``--cron "0 */6 * * *"`` expressions."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Optional

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_INTERVAL = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
MAX_INTERVAL_DAYS = 3650  # ten years: longer ones are typos, and soon overflow a date


class RuleError(ValueError):
    """A bad --every or --cron value, with a message for the user."""


def parse_interval(text: str) -> int:
    """``30m``, ``6h``, ``1d``, ``1h30m`` (and ``s`` for seconds) -> seconds."""
    value = (text or "").strip().lower()
    match = _INTERVAL.fullmatch(value)
    if not value or not match:
        raise RuleError(f"bad interval {text!r}: use a number and a unit, e.g. 30m, 6h, 1d or 1h30m")
    too_long = RuleError(f"bad interval {text!r}: it can be at most {MAX_INTERVAL_DAYS}d (ten years)")
    if any(n and len(n.lstrip("0")) > 12 for n in match.groups()):
        raise too_long  # before int(): Python refuses to convert numbers of over 4300 digits
    seconds = sum(int(n) * unit for n, unit in zip(match.groups(), _UNITS.values()) if n)
    if seconds <= 0:
        raise RuleError(f"bad interval {text!r}: it must be longer than zero")
    if seconds > MAX_INTERVAL_DAYS * 86400:
        raise too_long
    return seconds


_CRON_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12),
                ("day of week", 0, 7))


def _cron_field_problem(fields: list[str]) -> str:
    """What is wrong with five cron fields croniter refuses, in words: the first bad field."""
    from croniter import croniter

    for i, (field, (name, low, high)) in enumerate(zip(fields, _CRON_FIELDS)):
        alone = ["*"] * 5
        alone[i] = field
        if croniter.is_valid(" ".join(alone)):
            continue
        for part in field.split(","):
            values, _, step = part.partition("/")
            if step.isdigit() and int(step) == 0:
                return f"the {name} field {field!r} has a step of 0"
            for value in values.split("-"):
                if value.isdigit() and not (len(value) <= 6 and low <= int(value) <= high):
                    return f"{name} {value} is out of range ({low}-{high})"
        return f"the {name} field {field!r} is not understood"
    return "it is not understood"


def check_cron(expression: str) -> str:
    from croniter import CroniterError, croniter

    expression = " ".join((expression or "").split())
    fields = expression.split()
    # Five fields only: croniter also takes seconds and years, which cron and systemd users
    # would not expect, and which would make "0 */6 * * * *" silently mean something else.
    if len(fields) != 5:
        raise RuleError(f"bad cron expression {expression!r}: it has {len(fields)} field(s), it needs five: "
                        "minute hour day-of-month month day-of-week, e.g. \"0 */6 * * *\"")
    if not croniter.is_valid(expression):
        raise RuleError(f"bad cron expression {expression!r}: {_cron_field_problem(fields)}")
    try:
        croniter(expression, datetime.now(timezone.utc)).get_next(datetime)
    except (CroniterError, ValueError, OverflowError):
        raise RuleError(f"bad cron expression {expression!r}: it never runs, "
                        "no date matches it (like 31 February)") from None
    return expression


def format_interval(seconds: int) -> str:
    parts = []
    for unit, size in _UNITS.items():
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts)


@dataclass(frozen=True)
class Rule:
    every_seconds: Optional[int] = None
    cron: Optional[str] = None

    @classmethod
    def parse(cls, every: Optional[str], cron: Optional[str]) -> "Rule":
        if (every is None) == (cron is None):
            raise RuleError("give exactly one of --every (e.g. 6h) and --cron (e.g. \"0 */6 * * *\")")
        return cls(every_seconds=parse_interval(every)) if every is not None else cls(cron=check_cron(cron))

    @classmethod
    def of(cls, schedule: dict) -> "Rule":
        return cls(every_seconds=schedule.get("every_seconds"), cron=schedule.get("cron"))

    def describe(self) -> str:
        return f"every {format_interval(self.every_seconds)}" if self.every_seconds else f"cron {self.cron}"

    def first_run(self, now: datetime) -> datetime:
        """An --every schedule runs at once; a cron schedule at its next matching time."""
        return now if self.every_seconds else self.next_after(now)

    def next_after(self, when: datetime) -> datetime:
        """The next run after ``when``; RuleError if there is none (a rule stored before
        `schedule add` checked it: an interval past the year 9999, a date that never comes)."""
        from croniter import CroniterError, croniter

        try:
            if self.every_seconds:
                return when + timedelta(seconds=self.every_seconds)
            return croniter(self.cron, when).get_next(datetime)
        except OverflowError:
            raise RuleError(f"{self.describe()} has no next run: it would be after the year 9999") from None
        except (CroniterError, ValueError) as exc:
            raise RuleError(f"{self.describe()} has no next run after {when:%Y-%m-%dT%H:%M:%SZ} "
                            f"({exc})") from None

    def next_run(self, started: datetime, now: datetime) -> datetime:
        """After a run that started at ``started``: keep the cadence, but never schedule in the
        past, so however many runs were missed (downtime, a crawl longer than the interval)
        the schedule runs once and then is back on time."""
        following = self.next_after(started)
        return following if following > now else self.next_after(now)
