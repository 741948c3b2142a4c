"""The ways FanFiction.Net and its mirrors write a date: a `data-xutime` unix time, `1/5/2015`,
`Jan 5, 2015`, and for recent dates forms without a year (`5/17`, `Jan 5`) or relative ones
(`8h ago`). Yearless and relative forms are read against the day the file is parsed, which is a
guess: the page was saved earlier, so each such reading says so in a doubt."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
)}  # fmt: skip
_XUTIME = re.compile(r"^@(\d{1,12})$")
_NUMERIC = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$")
_NAMED = re.compile(r"^([A-Za-z]{3})[a-z]*\.? (\d{1,2})(?:, (\d{4}))?$")
_RELATIVE = re.compile(r"^(\d+)\s*(m|min|mins|h|hr|hrs|d|day|days)\s+ago$", re.I)
_UNITS = {"m": "minutes", "min": "minutes", "mins": "minutes", "h": "hours", "hr": "hours", "hrs": "hours"}


class FfnDate:
    """One date reading: the ISO date (or None) and a doubt when the reading had to guess."""

    def __init__(self, iso: str | None, doubt: str | None = None) -> None:
        self.iso = iso
        self.doubt = doubt


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def read_ffn_date(value: str, today: dt.date, label: str) -> FfnDate:
    """`value` as FFN shows it; `label` names the field in doubts ("Updated")."""
    value = " ".join(value.split())
    if match := _XUTIME.match(value):
        try:
            moment = dt.datetime.fromtimestamp(int(match.group(1)), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            return FfnDate(
                None, f"{label} {value!r} is out of range as a unix time; it was kept in metadata."
            )
        return FfnDate(moment.date().isoformat())
    month: int | None = None
    day = year = 0
    if match := _NUMERIC.match(value):
        month, day = int(match.group(1)), int(match.group(2))
        year = int(match.group(3)) if match.group(3) else 0
    elif (match := _NAMED.match(value)) and match.group(1).lower() in _MONTHS:
        month, day = _MONTHS[match.group(1).lower()], int(match.group(2))
        year = int(match.group(3)) if match.group(3) else 0
    if month is not None:
        if 0 < year < 100:
            year += 2000
        if year:
            return FfnDate(_iso(year, month, day))
        iso = _iso(today.year, month, day)
        if iso is not None and iso > today.isoformat():
            iso = _iso(today.year - 1, month, day)
        return FfnDate(
            iso,
            f"{label} {value!r} carries no year (FanFiction.Net omits the current year); "
            "the latest such date not after the day of parsing was assumed.",
        )
    if match := _RELATIVE.match(value):
        amount, unit = int(match.group(1)), match.group(2).lower()
        try:
            delta = dt.timedelta(**{_UNITS.get(unit, "days"): amount})
            moment = dt.datetime.combine(today, dt.time(23, 59)) - delta
        except (ValueError, OverflowError):
            return FfnDate(
                None, f"{label} {value!r} reaches back before any calendar date; it was kept in metadata."
            )
        return FfnDate(
            moment.date().isoformat(),
            f"{label} {value!r} is relative to when the page was saved; it was read relative to the day of parsing.",
        )
    return FfnDate(None, f"{label} {value!r} is not a date this parser knows; it was kept in metadata.")
