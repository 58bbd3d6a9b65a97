from django.urls import path

from .views import exports, home, imports, items, ledgers, problems, units

urlpatterns = [
    path("", home.home, name="home"),
    path("items/", items.item_list, name="item_list"),
    path("items/offline/", items.offline_checklist, name="offline_checklist"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/save/", items.item_save, name="item_save"),
    path("items/<int:pk>/submit/", items.item_submit, name="item_submit"),
    path("items/<int:pk>/decline-signoff/", items.item_decline_signoff, name="item_decline_signoff"),
    path("items/<int:pk>/approve/", items.item_approve, name="item_approve"),
    path("items/<int:pk>/return/", items.item_return, name="item_return"),
    path("items/<int:pk>/evidence/", items.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", items.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", items.evidence_remove, name="evidence_remove"),
    path("ledgers/<slug:slug>/", ledgers.ledger_list, name="ledger_list"),
    path("ledgers/<slug:slug>/new/", ledgers.ledger_new, name="ledger_new"),
    path("entries/<int:pk>/", ledgers.ledger_detail, name="ledger_detail"),
    path("entries/<int:pk>/edit/", ledgers.ledger_edit, name="ledger_edit"),
    path("units/", units.unit_list, name="unit_list"),
    path("exports/", exports.export_page, name="export_page"),
    path("exports/<uuid:pk>/", exports.job_detail, name="job_detail"),
    path("exports/<uuid:pk>/status/", exports.job_status, name="job_status"),
    path("exports/<uuid:pk>/download/", exports.job_download, name="job_download"),
    path("imports/", imports.import_page, name="import_page"),
    path("imports/<slug:kind>/template/", imports.import_template, name="import_template"),
    path("problems/", problems.problem_list, name="problem_list"),
    path("problems/<int:pk>/", problems.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/report/", problems.problem_report, name="problem_report"),
    path("problems/<int:pk>/close/", problems.problem_close, name="problem_close"),
    path("problems/<int:pk>/send-back/", problems.problem_send_back, name="problem_send_back"),
]
