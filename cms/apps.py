"""The cms app: the Wagtail site, its pages and its languages."""

from django.apps import AppConfig


class CmsConfig(AppConfig):
    """Registers the content languages, the text normalisation signal, the configuration
    checks and the reset of an account's failed sign-ins."""

    name = "cms"
    verbose_name = "Bản Làng CMS"

    def ready(self) -> None:
        """Teach Django our languages before any request, normalise text on save, refuse
        unsafe configurations and forget an account's failed sign-ins once it signs in."""
        from cms import checks, login_throttling, signal_handlers
        from cms.languages import register_lang_info

        register_lang_info()
        signal_handlers.register()
        checks.register()
        login_throttling.register()
        restore_indexed_routing()


def restore_indexed_routing() -> None:
    """Give our pages back ``TranslatedPage.route``, which wagtail-modeltranslation replaced.

    The library assigns its own ``route`` to every translated page class when it starts; deleting
    that class attribute lets method resolution find ours (and ``RoutablePageMixin``'s) again.
    """
    from cms.models import TranslatedPage

    def subclasses(cls: type) -> list[type]:
        children: list[type] = cls.__subclasses__()
        return [cls, *(sub for child in children for sub in subclasses(child))]

    for model in subclasses(TranslatedPage):
        patched = vars(model).get("route")
        if getattr(patched, "__module__", "").startswith("wagtail_modeltranslation"):
            delattr(model, "route")
