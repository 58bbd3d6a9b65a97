from django.urls import reverse


def log_in(page, live_server, username, password="pw", admin=False):
    """Log in through the app's or the admin's login page."""
    page.goto(live_server.url + reverse("admin:login" if admin else "login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]" if admin else "form button")
