"""Public URLs of subscriptions, under each language's prefix."""

from django.urls import path

from outreach import views

app_name = "outreach"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("waiting/<str:token>/", views.pending, name="pending"),
    path("find/", views.find, name="find"),
    path("find/sent/", views.find_sent, name="find_sent"),
    path("find/<str:token>/", views.find_code, name="find_code"),
    path("confirm/<str:token>/", views.confirm_link, name="confirm_link"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/export.json", views.export, name="export"),
    path("manage/<str:token>/erase/", views.erase, name="erase"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
