from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("favicon.ico", lambda request: redirect(static("favicon.svg"), permanent=True)),
    path("", include("checklists.urls")),
]
if settings.BENCH_FLOOR:  # `make bench`'s processes only: Django's stock admin over the items, the floor
    from checklists.bench import floor_site

    urlpatterns.insert(0, path("bench-floor/", floor_site.urls))
# Uploaded and exported files have no static route, not even with DEBUG=1: `checklists.files`.
