"""Deadlines as task lists write them: a day, a month's end, a half-year, a quarter, the year's end, a
recurrence or a standing task. A form without its year takes the task list's year."""

import calendar
import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from .base import key

BEFORE = r"\s*(?:前|之前|以前)?$"
YEAR = r"^(?:(\d{4})\s*年\s*)?"
FULL_DATE = re.compile(r"^(?:(\d{4})\s*[年\-/.]\s*)?(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?" + BEFORE)
MONTH_END = re.compile(YEAR + r"(\d{1,2})\s*月\s*(?:底|末|份|中旬|下旬)?" + BEFORE)
HALF_YEAR = re.compile(YEAR + r"(上|下)半年\s*(?:底|末)?" + BEFORE)
QUARTER = re.compile(YEAR + r"第?\s*([一二三四1-4])\s*季度\s*(?:末|底)?" + BEFORE)
YEAR_END = re.compile(YEAR + r"(?:年底|年末|年内|全年|年度内|底|末)" + BEFORE)
RECURRING = ("每周", "每月", "每季度", "每季", "每半年", "每学期", "每年")
STANDING = ("长期坚持", "长期", "持续推进", "持续", "常态化", "常态", "随时", "及时", "贯穿全年")
QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _year(match, default):
    return int(match.group(1)) if match.group(1) else (default or timezone.localdate().year)


def _month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(value, year=None):
    """(date or None, the deadline as written), or ValueError saying which forms are read.

    A day (2023年6月30日, 2023-06-30, 6月30日前), a month's end (2023年6月底前), 上半年 (30 June),
    下半年 / 年底前 / 年内 (31 December), 第三季度 (30 September); 每季度 / 每月 / 每半年 recur and
    长期坚持 stands: no date, the words kept."""
    if isinstance(value, datetime.datetime):
        return value.date(), ""
    if isinstance(value, datetime.date):
        return value, ""
    written = str(value)
    if not written:
        return None, ""
    text = key(written)
    if match := FULL_DATE.match(text):
        try:
            return datetime.date(_year(match, year), int(match.group(2)), int(match.group(3))), written
        except ValueError:
            raise ValueError(_("%(text)s is not a date in the calendar.") % {"text": written}) from None
    if match := MONTH_END.match(text):
        if not 1 <= int(match.group(2)) <= 12:
            raise ValueError(_("%(text)s names no month.") % {"text": written})
        return _month_end(_year(match, year), int(match.group(2))), written
    if match := HALF_YEAR.match(text):
        return _month_end(_year(match, year), 6 if match.group(2) == "上" else 12), written
    if match := QUARTER.match(text):
        return _month_end(_year(match, year), 3 * QUARTERS[match.group(2)]), written
    if match := YEAR_END.match(text):
        return datetime.date(_year(match, year), 12, 31), written
    if text.startswith(RECURRING) or any(word in text for word in STANDING):
        return None, written
    raise ValueError(_("Cannot read the deadline “%(text)s”: write a date like 2023年6月30日, a month like "
                       "2023年6月底前, 上半年, 下半年, 年底前, 第三季度, or words like 每季度 or 长期坚持.")
                     % {"text": written})
