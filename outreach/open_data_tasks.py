"""Background publication of the open data (``outreach.open_data``)."""

from django_tasks import task

from outreach import open_data


@task()
def publish_open_data() -> dict[str, bool]:
    """Publish every dataset and the catalogue; for each dataset, whether its new version was
    published (a failed one leaves its previous version served)."""
    return open_data.publish_all()
