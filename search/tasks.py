"""Indexing in the background, so that publishing and saving never wait for it."""

from django.apps import apps
from django_tasks import task

from search import indexing, querylog


@task()
def index_objects(model_label: str, pks: list[int]) -> int:
    """Index objects of a model afresh (by ``app_label.ModelName``); return documents made."""
    return indexing.index_objects(apps.get_model(model_label), pks)


@task()
def remove_objects(model_label: str, pks: list[int]) -> None:
    """Remove objects of a model from the index."""
    indexing.remove(apps.get_model(model_label), pks)


@task()
def write_query_log(batch: list[list]) -> int:
    """Add a batch of searches a web process counted (``search.querylog``) to the days' rows;
    how many searches were written."""
    return querylog.write(batch)
