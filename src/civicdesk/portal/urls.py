from django.urls import path

from civicdesk.knowledge import views as answers
from civicdesk.knowledge.search import views as search
from civicdesk.portal import follow, suggest, views
from civicdesk.portal import map as public_map
from civicdesk.portal.account import views as account
from civicdesk.portal.report import duplicate_views as report_duplicates
from civicdesk.portal.report import views as report

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("report/<str:code>/", views.report_service, name="report-service"),
    # The "Report a problem" flow (portal.report): one draft per report, its id in the path.
    path("report/<str:code>/start/", report.start, name="report-start"),
    path("report/<str:code>/<str:draft_id>/details/", report.details, name="report-details"),
    path("report/<str:code>/<str:draft_id>/location/", report.location, name="report-location"),
    path(
        "report/<str:code>/<str:draft_id>/nearby/",
        report_duplicates.nearby,
        name="report-nearby",
    ),
    path(
        "report/<str:code>/<str:draft_id>/nearby/<str:reference>/",
        report_duplicates.follow_instead,
        name="report-follow-instead",
    ),
    path(
        "report/<str:code>/<str:draft_id>/followed/",
        report_duplicates.followed,
        name="report-followed",
    ),
    path("report/<str:code>/<str:draft_id>/photos/", report.photos, name="report-photos"),
    path(
        "report/<str:code>/<str:draft_id>/photos/<int:index>/",
        report.photo,
        name="report-photo",
    ),
    path("report/<str:code>/<str:draft_id>/contact/", report.contact, name="report-contact"),
    path("report/<str:code>/<str:draft_id>/review/", report.review, name="report-review"),
    path("report/<str:code>/<str:draft_id>/done/", report.done, name="report-done"),
    path("search/", search.search_page, name="search"),
    path("search/suggest/", search.search_suggest, name="search-suggest"),
    path("suggest/", suggest.suggest, name="suggest"),
    path("track/", views.track, name="track"),
    # Knowledge base answers (knowledge.views).
    path("answers/", answers.answer_index, name="answers"),
    path("answers/<slug:slug>/", answers.answer_detail, name="answer"),
    path("requests/", views.requests, name="requests"),
    # Resident accounts, following requests and the public map (portal.account, .follow, .map).
    path("requests/map.json", public_map.requests_map, name="requests-map"),
    path("requests/districts.geojson", public_map.districts_geojson, name="districts-geojson"),
    path("track/<str:reference>/follow/", follow.follow, name="follow"),
    path("track/<str:reference>/unfollow/", follow.unfollow, name="unfollow"),
    path("follow/confirm/<str:token>/", follow.follow_confirm, name="follow-confirm"),
    path("follow/stop/<str:token>/", follow.follow_stop, name="follow-stop"),
    path("account/", account.account, name="account"),
    path("account/sign-in/", account.sign_in, name="sign-in"),
    path("account/sign-in/sent/", account.sign_in_sent, name="sign-in-sent"),
    path("account/sign-in/<str:token>/", account.sign_in_link, name="sign-in-link"),
    path("account/sign-out/", account.sign_out, name="sign-out"),
    path("account/addresses/", account.addresses, name="account-addresses"),
    path(
        "account/addresses/<int:saved_id>/remove/",
        account.address_remove,
        name="account-address-remove",
    ),
    path("account/preferences/", account.preferences, name="account-preferences"),
]
