"""What the demo loader announces to the apps above ``cms``, which it may not import."""

from django.dispatch import Signal

demo_loaded = Signal()
"""Sent with the ``report`` (``cms.demo.loader.DemoReport``) and the ``home`` page once the
site's own demo is in place: the other apps add theirs (the heritage archive, outreach's
offices) and count it in the report."""
