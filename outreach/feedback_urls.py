"""Public URLs of residents' submissions, under each language's prefix."""

from django.urls import path

from outreach import feedback_views, feeds

app_name = "outreach_ask"

urlpatterns = [
    path("", feedback_views.ask, name="ask"),
    path("code/", feedback_views.lookup, name="lookup"),
    path("answered/", feedback_views.answered_list, name="answered_list"),
    path("answered/<int:pk>/", feedback_views.answered, name="answered"),
    path("answered/rss.xml", feeds.AnsweredRssFeed(), name="answered_rss"),
    path("answered/atom.xml", feeds.AnsweredAtomFeed(), name="answered_atom"),
    path("<str:code>/", feedback_views.status, name="status"),
]
