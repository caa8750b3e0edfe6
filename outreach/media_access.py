"""The project's media access policy: residents' files first, then the heritage archive's.

``BANLANG_MEDIA["ACCESS_POLICY"]`` points here. A photo or a voice message a resident sent with
a submission (``outreach.models.FEEDBACK_FOLDER``) is served, privately, only to whoever may see
how to reach that resident: the staff of the office handling the submission, or a coordinator
while no office has it (triage, moderation). Everyone else, signed in or not, gets the 404 of a
missing file, after the same queries. Every other file follows ``heritage.media_access``.
"""

from django.db.models import Q
from django.http import HttpRequest

from heritage.media_access import heritage_file_access
from media.access import FileAccess
from outreach import handling
from outreach.models import Submission, SubmissionFile
from outreach.models.feedback import FEEDBACK_FOLDER

NO_FILE = 0
"""A primary key no row has: a missing file is asked the same questions as a protected one."""


def feedback_file_access(request: HttpRequest, path: str) -> FileAccess:
    """Whether ``request.user`` may fetch the stored file at ``path``, and who may cache it."""
    if not path.startswith(FEEDBACK_FOLDER):
        return heritage_file_access(request, path)
    holding = SubmissionFile.objects.filter(Q(file=path) | Q(playable=path))
    found = holding.values_list("submission_id", "submission__office_id").first()
    pk, office = found or (NO_FILE, NO_FILE)
    submission = Submission(pk=pk, office_id=office)
    allowed = request.user.is_authenticated and handling.may_see_files(request.user, submission)
    return FileAccess.PRIVATE if allowed and found else FileAccess.DENIED
