"""Chinese first: every message is translated, the admin speaks Chinese, dates read 2023年6月30日."""

import datetime
import gettext
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_entries(path):
    """(msgid, msgstr or plural msgstr, flags) of each entry of a .po file, header left out."""
    entries, current, field, flags = [], {}, None, set()
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif match := re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?) "(.*)"$', line):
            field = match.group(1).replace("[0]", "")
            current[field] = current.get(field, "") + match.group(2)
        elif line.startswith('"') and field:
            current[field] += line[1:-1]
        elif not line.strip() and current:
            if current.get("msgid"):  # a message with a context is known as "context\x04message"
                msgid = f"{current['msgctxt']}\x04{current['msgid']}" if "msgctxt" in current else current["msgid"]
                entries.append((msgid, current.get("msgstr", ""), flags))
            current, field, flags = {}, None, set()
    return entries


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = po_entries(CATALOGUE / "django.po")
    assert len(entries) > 250
    assert [msgid for msgid, msgstr, _ in entries if not msgstr] == []
    assert [msgid for msgid, _, flags in entries if "fuzzy" in flags] == []


def test_the_compiled_catalogue_matches_the_source():
    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, msgstr, _ in po_entries(CATALOGUE / "django.po")
             if "\\" not in msgid and "%(counter)s" not in msgid and compiled.gettext(msgid) != msgstr]
    assert stale == [], "run `make messages` to recompile the translations"


def test_chinese_is_the_default_and_dates_read_the_chinese_way():
    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override("zh-hans"):
        assert formats.date_format(datetime.date(2023, 6, 30)) == "2023年6月30日"


def test_the_admin_speaks_chinese(client, world):
    client.force_login(world.office_x)
    index = client.get(reverse("admin:index")).content.decode()
    for label in ("清廉台账", "工作台", "清单事项", "任务清单", "督导检查台账", "问题整改", "创建标准"):
        assert label in index
    items = client.get(reverse("admin:checklists_checklistitem_changelist")).content.decode()
    for label in ("标准条目", "到期日", "完成数量", "逾期", "县（区）", "报送所选事项审核", "2023年12月31日"):
        assert label in items


def test_english_is_available(client, world):
    client.force_login(world.office_x)
    page = client.get(reverse("admin:checklists_checklistitem_changelist"),
                      headers={"accept-language": "en"}).content.decode()
    assert "Checklist items" in page and "清单事项" not in page


def test_chinese_labels_end_in_a_full_width_colon(client, world, submitted_item):
    """No “进度: 60%”: after Chinese, a label's colon (and a list's semicolon) is full-width."""
    import re

    pages = {world.office_x: [reverse("home"), reverse("item_detail", args=[world.item_a.pk]), reverse("export_page"),
                              reverse("work_queue")],
             world.liaison_a: [reverse("home"), reverse("item_detail", args=[world.item_a.pk]),
                               reverse("ledger_new", args=["training"]), reverse("import_page")]}
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            text = re.sub(r"<[^>]+>", " ", client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
            assert not re.search(r"[\u4e00-\u9fff）][:;]", text), (url, re.search(r".{20}[\u4e00-\u9fff）][:;].{10}", text))
