"""Signal handlers of the heritage app."""

from typing import Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_migrate, post_save, pre_delete, pre_save
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    Workflow,
    WorkflowContentType,
    WorkflowTask,
)

from cms.demo.signals import demo_loaded
from cms.groups import apps_migrated, ensure_group
from cms.translators import TRANSLATOR_GROUPS
from heritage import file_audience, tombstones
from heritage.models import HeritageRecord

CULTURAL_OFFICERS = "Cultural officers"
OFFICER_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("heritage", "view_restricted_records"),
    ("heritage", "add_heritagerecord"),
    ("heritage", "change_heritagerecord"),
    ("heritage", "publish_heritagerecord"),
    ("heritage", "lock_heritagerecord"),
    ("heritage", "unlock_heritagerecord"),
    ("heritage", "add_communitygroup"),
    ("heritage", "change_communitygroup"),
    ("media", "add_mediacaption"),
    ("media", "change_mediacaption"),
    ("media", "delete_mediacaption"),
]


OFFICER_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtailmedia", "add_media"),
    ("wagtailmedia", "change_media"),
]
"""Officers add the photos and recordings of the records they catalogue, in any collection."""


def ensure_cultural_officers_group(**kwargs: Any) -> None:
    """Create the "Cultural officers" group with its permissions (after Wagtail adds its own)."""
    group = ensure_group(CULTURAL_OFFICERS, OFFICER_PERMISSIONS)
    root = Collection.get_first_root_node()
    if root is None:
        return
    for app_label, codename in OFFICER_COLLECTION_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )


TRANSLATOR_PERMISSIONS = [("heritage", "change_heritagerecord")]
"""Translators save records as drafts, never publish them; they see what any reader sees."""


def ensure_translator_permissions(**kwargs: Any) -> None:
    """Let each language's translators change records (``cms.translators``)."""
    for name in TRANSLATOR_GROUPS.values():
        ensure_group(name, TRANSLATOR_PERMISSIONS)


RECORD_REVIEW = "Heritage record review"
OFFICERS_APPROVAL = "Approval by cultural officers"


def ensure_record_review(**kwargs: Any) -> None:
    """Unless records already go through a workflow, make one: a record saved by someone who
    may not publish it (a translator) is submitted to the cultural officers, who approve it or
    ask for changes."""
    content_type = ContentType.objects.get_for_model(HeritageRecord)
    if WorkflowContentType.objects.filter(content_type=content_type).exists():
        return
    task, _ = GroupApprovalTask.objects.get_or_create(name=OFFICERS_APPROVAL)
    task.groups.add(ensure_group(CULTURAL_OFFICERS, OFFICER_PERMISSIONS))
    workflow, _ = Workflow.objects.get_or_create(name=RECORD_REVIEW)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowContentType.objects.create(workflow=workflow, content_type=content_type)


def add_demo(sender: Any, report: Any, home: Any, **kwargs: Any) -> None:
    """Add the heritage archive to the demo site (``cms.demo.signals.demo_loaded``)."""
    from heritage.demo.loader import load_heritage_demo  # it imports this module

    load_heritage_demo(report, home)


def register() -> None:
    """Connect the heritage signal handlers."""
    demo_loaded.connect(add_demo, dispatch_uid="heritage.demo")
    apps_migrated.connect(ensure_cultural_officers_group, dispatch_uid="heritage.officers_group")
    apps_migrated.connect(
        ensure_translator_permissions, dispatch_uid="heritage.translator_permissions"
    )
    # Once Wagtail's own content types are there (and the cache of them is fresh after a flush).
    post_migrate.connect(
        ensure_record_review,
        sender=apps.get_app_config("wagtailcore"),
        dispatch_uid="heritage.record_review",
    )
    record = "heritage.HeritageRecord"
    pre_save.connect(tombstones.before_save, sender=record, dispatch_uid="heritage.tombstones")
    post_save.connect(tombstones.after_save, sender=record, dispatch_uid="heritage.tombstones")
    pre_delete.connect(tombstones.before_delete, sender=record, dispatch_uid="heritage.tombstones")
    item = "heritage.RecordMedia"
    pre_save.connect(file_audience.before_item_saved, sender=item, dispatch_uid="heritage.files")
    pre_delete.connect(
        file_audience.before_item_deleted, sender=item, dispatch_uid="heritage.files"
    )
