"""Faker's "today" held at a given day.

Some synthetic families draw dates relative to today through Faker (a birth date for an age, a date in
the last two years); generated as on a fixed day, their posts do not change with the date they are
generated on. The name tagger's corpus is built this way, and the families' tests use it to show which
families follow the clock and which do not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime


@contextmanager
def faker_today(day: date) -> Iterator[None]:
    """Within the block, Faker's date providers take `day` (at noon) for today and now."""
    import faker.providers.date_time as fdt

    names = fdt.__dict__  # the module's own names for the classes: what its providers call
    real_date, real_datetime = names["dtdate"], names["datetime"]

    class _AnyDate(type):
        # Faker checks isinstance(value, date) on dates it made with the real classes too
        def __instancecheck__(cls, obj: object) -> bool:
            return isinstance(obj, real_datetime if cls.__name__ == "_Datetime" else real_date)

    class _Date(real_date, metaclass=_AnyDate):
        @classmethod
        def today(cls) -> date:
            return real_date(day.year, day.month, day.day)

    class _Datetime(real_datetime, metaclass=_AnyDate):
        @classmethod
        def now(cls, tz=None) -> datetime:
            return real_datetime(day.year, day.month, day.day, 12, tzinfo=tz)

    names["dtdate"], names["datetime"] = _Date, _Datetime
    try:
        yield
    finally:
        names["dtdate"], names["datetime"] = real_date, real_datetime
