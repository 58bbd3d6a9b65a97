"""Every admin page, for every role: the list shows only records within reach, and a record outside it
answers 403 or 404 on its change, history and delete pages, whatever the URL typed. A model added to
the admin is covered by these tests without a line here."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from . import factories as f

# role -> the sides (records in county X / unit A, records in county Y / unit C) it reaches
REACH = {
    "superuser": "xy", "office_city": "xy", "office_x": "x", "viewer_x": "x", "liaison_a": "x", "leader_a": "x",
    "office_y": "y", "nobody": "",
}
MODELS = [model for model in admin.site._registry if model is not Group]


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _user(world, who):
    return f.UserFactory(username="nobody") if who == "nobody" else getattr(world, who)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("who", REACH)
def test_every_admin_page_for_every_role(client, world, records, who, model):
    client.force_login(_user(world, who))
    changelist = client.get(_url(model, "changelist"))
    reach = REACH[who]
    if not reach:
        assert changelist.status_code == 403
    else:
        assert changelist.status_code == 200
        shown = {obj.pk for obj in changelist.context["cl"].result_list}
    for side in "xy":
        obj = records[side][model.__name__]
        pages = {"change": _url(model, "change", obj.pk), "delete": _url(model, "delete", obj.pk)}
        try:
            pages["history"] = _url(model, "history", obj.pk)
        except NoReverseMatch:
            pass
        if side in reach:
            assert obj.pk in shown, f"{who} does not see its own {model.__name__}"
            assert client.get(pages["change"]).status_code == 200
            if "history" in pages:
                assert client.get(pages["history"]).status_code == 200
        else:
            if reach:
                assert obj.pk not in shown, f"{who} sees another's {model.__name__}"
            for view, url in pages.items():
                assert client.get(url).status_code in (403, 404), f"{who} opens another's {model.__name__} {view}"
            assert client.post(pages["delete"], {"post": "yes"}).status_code in (403, 404)
            assert type(obj)._base_manager.filter(pk=obj.pk).exists()
