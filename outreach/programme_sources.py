"""What a loudspeaker programme may be made of, and why a source may not go in.

Everything aired is heard by everyone in the commune, so only what anyone may already hear goes
in: a live, unrestricted article's own audio version in the item's language (never another
language's recording passed off as this one), and recordings the archive shows to everyone
(``heritage.file_audience.is_public``: held by a live public media item, or never archive
material, like an uploaded announcement). A restricted, community or secret/sacred recording can
never be put in a programme, at assembly or later, when it is rendered.
"""

from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from cms.languages import get_language
from cms.models import ArticlePage
from heritage.file_audience import is_public
from media.models import MediaAsset, ProcessingStatus


def article_audio(article: ArticlePage, language: str) -> MediaAsset | None:
    """The article's own audio version in ``language``, without falling back to another's."""
    asset_id = getattr(article, build_localized_fieldname("audio", language) + "_id", None)
    return MediaAsset.objects.filter(pk=asset_id).first() if asset_id else None


def recording_problem(recording: MediaAsset) -> str:
    """Why ``recording`` cannot be aired, in the active language; empty when it can."""
    if recording.type != "audio":
        return _("“%(title)s” is not an audio recording.") % {"title": recording.title}
    if not is_public("media", recording.pk):
        return _("“%(title)s” is not public: only recordings anyone may hear can be aired.") % {
            "title": recording.title
        }
    if recording.status != ProcessingStatus.READY:
        return _("“%(title)s” has not been processed yet, or could not be.") % {
            "title": recording.title
        }
    return ""


def article_problem(article: ArticlePage, language: str) -> str:
    """Why ``article`` cannot be aired in ``language``, in the active language; empty when it
    can."""
    return checked_article_audio(article, language)[1]


def checked_article_audio(article: ArticlePage, language: str) -> tuple[MediaAsset | None, str]:
    """The article's own audio version in ``language`` if it may be aired, else ``None`` and
    why not, in the active language."""
    if not ArticlePage.objects.live().public().filter(pk=article.pk).exists():
        return None, _("“%(title)s” is not published for everyone.") % {"title": article.title}
    audio = article_audio(article, language)
    if audio is None:
        return None, _("“%(title)s” has no audio version in %(language)s.") % {
            "title": article.title,
            "language": get_language(language).name_native,
        }
    if audio.language and audio.language != language:
        return None, _(
            "The audio version of “%(title)s” in %(language)s is marked as spoken in another "
            "language."
        ) % {"title": article.title, "language": get_language(language).name_native}
    problem = recording_problem(audio)
    return (None if problem else audio), problem


PROBLEM_MESSAGES = {
    "missing": lambda params: _("the file is missing"),
    "unsupported": lambda params: _("the file is not audio we can read"),
    "silent": lambda params: _("it is silent"),
    "too_loud": lambda params: _("it is far too loud (%(loudness)s LUFS)") % params,
    "clipped": lambda params: _("it is clipped (distorted)"),
    "too_long": lambda params: _("the programme would be too long"),
    "empty": lambda params: _("the programme has nothing to air"),
    "render_failed": lambda params: _("the audio could not be rendered"),
    "not_allowed": lambda params: params["reason"],
}
"""What each problem's code says, in the active language."""


def problem_messages(problems: list[dict]) -> list[str]:
    """A programme's problems (``Programme.problems``), each naming its clip, in the active
    language."""
    return [
        f"{problem['label']}: {PROBLEM_MESSAGES[problem['code']](problem['params'])}"
        for problem in problems
    ]
