from django.urls import path

from .views import home, items

urlpatterns = [
    path("", home.home, name="home"),
    path("items/", items.item_list, name="item_list"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/save/", items.item_save, name="item_save"),
    path("items/<int:pk>/submit/", items.item_submit, name="item_submit"),
    path("items/<int:pk>/approve/", items.item_approve, name="item_approve"),
    path("items/<int:pk>/return/", items.item_return, name="item_return"),
    path("items/<int:pk>/evidence/", items.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", items.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", items.evidence_remove, name="evidence_remove"),
]
