"""Every number is a door: each count on a dashboard links to the list it counts, and the list shows
exactly that many rows, for the city office, a district office, the city's leader in charge and a
unit's liaison, on the demo city."""

import io
import re
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.core.management import call_command


class Doors(HTMLParser):
    """(address, number shown) of each link with the class "door" or "door-card"."""

    def __init__(self):
        super().__init__()
        self.found, self.open = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "a" and ("door" in classes or "door-card" in classes):
            self.open.append([attrs["href"], ""])
        elif tag == "a":
            self.open.append(None)

    def handle_data(self, data):
        for link in self.open:
            if link is not None:
                link[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self.open:
            link = self.open.pop()
            if link is not None:
                self.found.append((link[0], link[1].strip()))


def doors(page):
    parser = Doors()
    parser.feed(page)
    return parser.found


def test_each_dashboard_number_is_the_count_of_the_list_it_opens(client, db):
    call_command("load_demo", stdout=io.StringIO())
    for username, most in (("office", 20), ("county_office", 20), ("viewer", 20), ("liaison", 3)):
        client.force_login(get_user_model().objects.get(username=username))
        dashboard_doors_agree(client, most)


def dashboard_doors_agree(client, most):
    found = doors(client.get("/").content.decode())
    numbers = [(href, int(re.search(r"(\d+)$", text).group(1))) for href, text in found
               if re.search(r"\d+$", text)]
    assert len(numbers) >= most, found
    assert any(number > 0 for _href, number in numbers)
    for href, number in numbers:
        response = client.get(href)
        assert response.status_code == 200, href
        assert "table" in response.context, href
        assert response.context["table"].paginator.count == number, (href, number)
    names = [href for href, text in found if not re.search(r"\d+$", text)]
    assert all(client.get(href).status_code == 200 for href in names)
