"""Lists render their cells in Python: no template is compiled per cell (django-tables2's DateColumn
would compile one for every date), so a page of 100 rows compiles as many templates as a page of 10;
dates read the Chinese way."""

from django.template import base
from django.urls import reverse

from checklists import services

from . import factories as f


def compiled(client, url, monkeypatch):
    """How many templates (and template strings) are compiled while the page renders."""
    counted = []
    original = base.Template.__init__

    def counting(self, *args, **kwargs):
        counted.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(base.Template, "__init__", counting)
    response = client.get(url)
    monkeypatch.setattr(base.Template, "__init__", original)
    assert response.status_code == 200
    return len(counted), response


def test_no_list_page_compiles_a_template_per_row(client, world, monkeypatch):
    for number in range(60):
        f.StandardItemFactory(standard_set=world.standard_set, dimension=world.standard_item.dimension,
                              code=f"T{number:02d}")
    services.campaign_generate_items(campaign=world.campaign)
    for _ in range(60):
        f.ProblemFactory(unit=world.unit_a)
        f.LedgerEntryFactory(unit=world.unit_a, kind="meeting", subkind="first_topic")
    client.force_login(world.office_city)
    for name, args in (("item_list", []), ("problem_list", []), ("ledger_list", ["meeting"]), ("unit_list", [])):
        url = reverse(name, args=args)
        compiled(client, url, monkeypatch)  # the page's own templates, compiled once and cached
        small, _ = compiled(client, f"{url}?per_page=10", monkeypatch)
        large, response = compiled(client, f"{url}?per_page=100", monkeypatch)
        assert large == small, (name, small, large)  # none compiled per row
    rows = client.get(reverse("ledger_list", args=["meeting"])).content.decode().split('id="row-count"')[1]
    entry = f.LedgerEntryFactory._meta.model.objects.filter(unit=world.unit_a).first()
    day = entry.occurred_on
    assert f"{day.year}年{day.month}月{day.day}日" in rows and day.isoformat() not in rows


def test_rows_rendered_in_python_are_those_django_tables2_renders(rf, world, submitted_item):
    """`ListTable.rows_html` writes each row as django-tables2's own template does: the same cells, the
    same attributes (phone labels, no-wrap), the same escaping; and a signature read once is the same."""
    import re

    from django.template.loader import render_to_string
    from django_tables2 import utils

    from checklists.models import ChecklistItem, Unit
    from checklists.tables import ChecklistItemTable, SIGNATURES

    Unit.objects.filter(pk=world.unit_c.pk).update(name="乙县<组织部>")
    request = rf.get("/items/")
    items = ChecklistItem.objects.order_by("pk")
    ours = ChecklistItemTable(items, request=request)
    theirs = ChecklistItemTable(items, request=request, template_name="django_tables2/bootstrap5.html")

    def body(table):
        html = render_to_string(table.template_name, {"table": table, "request": request})
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html.split("<tbody")[1].split("</tbody>")[0])).strip()

    rows = body(ours)  # once each: django-tables2 counts rows (even, odd) on from one rendering to the next
    assert "data-label=" in rows and "乙县&lt;组织部&gt;" in rows and rows == body(theirs)
    SIGNATURES.clear()
    assert utils.signature(ours.render_status) == (("record",), None) and len(SIGNATURES) == 1
