"""The topics articles are published under."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    """A section of the site; each has one TopicIndexPage."""

    POLICY = "policy", _("Policy")
    MARKET = "market", _("Market")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    SCIENCE_TECHNOLOGY = "science-technology", _("Science & technology")
    SECURITY_ORDER = "security-order", _("Security & order")
    CULTURE = "culture", _("Culture")
