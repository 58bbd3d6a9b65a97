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
