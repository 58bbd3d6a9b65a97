"""Accounts: login throttling, password rules, a forced change of a password the office set, the
account page, and the office's list of its users with their last logins."""

import datetime
import importlib
import secrets
import sys

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.models import AccountFlags


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_from_that_address(client, world):
    for _ in range(4):
        assert log_in(client, "liaison_a", "wrong").status_code == 200
    assert log_in(client, "liaison_a", "wrong").status_code == 429  # the fifth locks
    locked = log_in(client, "liaison_a", "pw")
    assert locked.status_code == 429 and "locked-out" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert log_in(client, "leader_a", "pw").status_code == 302  # another account is not locked


def test_a_right_password_before_the_limit_logs_in_and_resets_the_count(client, world):
    for _ in range(4):
        log_in(client, "liaison_a", "wrong")
    assert log_in(client, "liaison_a", "pw").status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "liaison_a", "wrong")
    assert log_in(client, "liaison_a", "pw").status_code == 302


def test_a_weak_password_is_refused_with_the_rule(client, world):
    client.force_login(world.liaison_a)
    for weak, rule in [("abcdefghijk", "字母和数字"), ("ab12", "至少"), ("12345678901", "字母和数字")]:
        response = client.post(reverse("account"), {"old_password": "pw", "new_password1": weak,
                                                    "new_password2": weak})
        assert response.status_code == 400 and rule in response.content.decode(), weak
    assert User.objects.get(pk=world.liaison_a.pk).check_password("pw")
    response = client.post(reverse("account"), {"old_password": "pw", "new_password1": "lianluo2023qinglian",
                                                "new_password2": "lianluo2023qinglian"})
    assert response.status_code == 302
    assert User.objects.get(pk=world.liaison_a.pk).check_password("lianluo2023qinglian")


def test_an_account_the_office_creates_must_change_its_password_first(client, world):
    client.force_login(world.superuser)
    response = client.post(reverse("admin:auth_user_add"), {
        "username": "new_liaison", "password1": "chushi2023mima", "password2": "chushi2023mima",
        "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    new = User.objects.get(username="new_liaison")
    assert AccountFlags.must_change(new)
    client.logout()
    assert log_in(client, "new_liaison", "chushi2023mima").status_code == 302
    page = client.get(reverse("item_list"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("account"))
    assert "must-change" in client.get(reverse("account")).content.decode()
    client.post(reverse("account"), {"old_password": "chushi2023mima", "new_password1": "ziji2023mima",
                                     "new_password2": "ziji2023mima"})
    assert client.get(reverse("item_list")).status_code == 200
    assert not AccountFlags.must_change(new)


def test_the_account_page_shows_roles_and_last_login(client, world):
    log_in(client, "liaison_a", "pw")
    page = client.get(reverse("account")).content.decode()
    assert "甲县组织部" in page and "联络员" in page and "乙县" not in page


def test_the_office_lists_its_users_with_their_last_logins(client, world):
    log_in(client, "liaison_a", "pw")
    client.logout()
    client.force_login(world.office_x)
    page = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "liaison_a" in page and "office_y" not in page
    assert User.objects.get(pk=world.liaison_a.pk).last_login is not None
    listed = list(client.get(reverse("admin:auth_user_changelist")).context["cl"].result_list)
    assert listed[0].username == "office_x" and listed[1].username == "liaison_a"  # never-logged-in last


def test_the_forced_change_refuses_the_password_the_office_set(client, world):
    services.account_require_password_change(user=world.liaison_a)
    assert log_in(client, "liaison_a", "pw").status_code == 302
    response = client.post(reverse("account"), {"old_password": "pw", "new_password1": "pw",
                                                "new_password2": "pw"})
    assert response.status_code == 400 and "不能与当前密码相同" in response.content.decode()
    world.liaison_a.set_password("chushi2023mima")
    world.liaison_a.save()
    client.force_login(world.liaison_a)
    response = client.post(reverse("account"), {"old_password": "chushi2023mima", "new_password1": "chushi2023mima",
                                                "new_password2": "chushi2023mima"})
    assert response.status_code == 400 and "不能与当前密码相同" in response.content.decode()
    assert AccountFlags.must_change(world.liaison_a)


def test_a_superuser_can_require_a_change_again(client, world):
    client.force_login(world.superuser)
    response = client.post(reverse("admin:auth_user_changelist"), {
        "action": "require_password_change", "_selected_action": [world.liaison_a.pk]})
    assert response.status_code == 302
    assert AccountFlags.must_change(world.liaison_a) and not AccountFlags.must_change(world.leader_a)
    client.logout()
    log_in(client, "liaison_a", "pw")
    assert client.get(reverse("item_list"))["Location"].startswith(reverse("account"))


def test_a_password_the_superuser_sets_must_be_changed(client, world):
    client.force_login(world.superuser)
    response = client.post(reverse("admin:auth_user_password_change", args=[world.leader_a.pk]), {
        "password1": "chushi2023mima", "password2": "chushi2023mima", "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AccountFlags.must_change(world.leader_a)


def test_the_office_cannot_require_a_change(client, world):
    client.force_login(world.office_x)
    client.post(reverse("admin:auth_user_changelist"), {
        "action": "require_password_change", "_selected_action": [world.liaison_a.pk]})
    assert not AccountFlags.must_change(world.liaison_a)


@pytest.fixture
def behind_the_proxy(settings, monkeypatch):
    """The production settings' reading of the client's address, as nginx forwards it."""
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(60))
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.internal/ledger")
    monkeypatch.setenv("ALLOWED_HOSTS", "ledger.example.gov.cn")
    sys.modules.pop("tracker.settings_production", None)
    production = importlib.import_module("tracker.settings_production")
    sys.modules.pop("tracker.settings_production", None)
    for name in dir(production):
        if name.startswith("AXES_IPWARE_"):
            setattr(settings, name, getattr(production, name))
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER[0] == "HTTP_X_FORWARDED_FOR"


def log_in_from(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)


def test_behind_the_proxy_a_lockout_is_per_client_not_per_proxy(client, world, behind_the_proxy):
    attacker, colleague = "203.0.113.9", "198.51.100.7"
    for _ in range(5):
        log_in_from(client, "liaison_a", "wrong", attacker)
    assert log_in_from(client, "liaison_a", "pw", attacker).status_code == 429
    assert log_in_from(Client(), "liaison_a", "pw", colleague).status_code == 302
    assert log_in_from(Client(), "office_x", "pw", colleague).status_code == 302
    assert AccessAttempt.objects.get().ip_address == attacker


def test_the_lockout_says_when_to_try_again(client, world, settings):
    for _ in range(5):
        log_in(client, "liaison_a", "wrong")
    page = log_in(client, "liaison_a", "pw").content.decode()
    until = timezone.localtime() + settings.AXES_COOLOFF_TIME
    assert f"{until:%H:%M}" in page or f"{until - datetime.timedelta(minutes=1):%H:%M}" in page
    assert "15 分钟" in page
