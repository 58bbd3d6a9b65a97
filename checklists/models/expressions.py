"""Database expressions the models' querysets share."""

import datetime
import os
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone


class YearMonth(models.Func):
    """"YYYY-MM" of a date, or of a moment in the current time zone, computed by the database's own
    functions: SQLite's Python date functions cost more than the rest of a city's figures."""

    output_field = models.CharField()

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(Cast(TruncMonth(*self.source_expressions), models.CharField()))

    def as_postgresql(self, compiler, connection, **extra_context):
        source = self.source_expressions[0]
        sql, params = compiler.compile(source)
        if self._is_moment(source):
            sql, params = f"({sql}) AT TIME ZONE %s", [*params, timezone.get_current_timezone_name()]
        return f"TO_CHAR({sql}, 'YYYY-MM')", params

    def as_sqlite(self, compiler, connection, **extra_context):
        source = self.source_expressions[0]
        sql, params = compiler.compile(source)
        if not self._is_moment(source):
            return f"SUBSTR({sql}, 1, 7)", params
        if _c_library_in_current_zone():  # SQLite's 'localtime' is the C library's zone
            return f"STRFTIME('%%Y-%%m', {sql}, 'localtime')", params
        return self.as_sql(compiler, connection)

    @staticmethod
    def _is_moment(source):
        return isinstance(source.output_field, models.DateTimeField)


def _c_library_in_current_zone():
    """Django sets the process's TZ to TIME_ZONE; the C library follows it where the zone's file exists."""
    zone = timezone.get_current_timezone_name()
    return (zone == settings.TIME_ZONE == os.environ.get("TZ")
            and Path("/usr/share/zoneinfo", *zone.split("/")).is_file())


def end_of_day(day):
    """The first moment after `day`, local time (Asia/Shanghai unless set otherwise)."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def within_days(field, first, last):
    """A filter on a moment field: from the start of local day `first` to the end of `last`. Unlike
    `field__date__range`, an index on the field serves it and SQLite calls no Python per row."""
    return models.Q(**{f"{field}__gte": end_of_day(first - datetime.timedelta(days=1)),
                       f"{field}__lt": end_of_day(last)})
