"""Vocabularies a record is described with: Local Contexts labels, rights and content warnings.

The Local Contexts Traditional Knowledge (TK) and Biocultural (BC) labels let a community say how
material should be used. Each label here has a short default explanation in our own words; a
record's label may carry the community's own explanation instead, which is what readers then see.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LocalContextsLabel(models.TextChoices):
    """Traditional Knowledge and Biocultural labels (localcontexts.org)."""

    TK_ATTRIBUTION = "tk-attribution", _("TK Attribution")
    TK_CLAN = "tk-clan", _("TK Clan")
    TK_FAMILY = "tk-family", _("TK Family")
    TK_MULTIPLE_COMMUNITIES = "tk-multiple-communities", _("TK Multiple Communities")
    TK_COMMUNITY_VOICE = "tk-community-voice", _("TK Community Voice")
    TK_CREATIVE = "tk-creative", _("TK Creative")
    TK_VERIFIED = "tk-verified", _("TK Verified")
    TK_NON_VERIFIED = "tk-non-verified", _("TK Non-Verified")
    TK_SEASONAL = "tk-seasonal", _("TK Seasonal")
    TK_WOMEN_GENERAL = "tk-women-general", _("TK Women General")
    TK_MEN_GENERAL = "tk-men-general", _("TK Men General")
    TK_WOMEN_RESTRICTED = "tk-women-restricted", _("TK Women Restricted")
    TK_MEN_RESTRICTED = "tk-men-restricted", _("TK Men Restricted")
    TK_CULTURALLY_SENSITIVE = "tk-culturally-sensitive", _("TK Culturally Sensitive")
    TK_SECRET_SACRED = "tk-secret-sacred", _("TK Secret / Sacred")
    TK_OPEN_TO_COMMERCIALIZATION = "tk-open-to-commercialization", _("TK Open to Commercialization")
    TK_NON_COMMERCIAL = "tk-non-commercial", _("TK Non-Commercial")
    TK_COMMUNITY_USE_ONLY = "tk-community-use-only", _("TK Community Use Only")
    TK_OUTREACH = "tk-outreach", _("TK Outreach")
    TK_OPEN_TO_COLLABORATION = "tk-open-to-collaboration", _("TK Open to Collaboration")
    BC_PROVENANCE = "bc-provenance", _("BC Provenance")
    BC_MULTIPLE_COMMUNITIES = "bc-multiple-communities", _("BC Multiple Communities")
    BC_CLAN = "bc-clan", _("BC Clan")
    BC_CONSENT_VERIFIED = "bc-consent-verified", _("BC Consent Verified")
    BC_CONSENT_NON_VERIFIED = "bc-consent-non-verified", _("BC Consent Non-Verified")
    BC_RESEARCH_USE = "bc-research-use", _("BC Research Use")
    BC_OPEN_TO_COLLABORATION = "bc-open-to-collaboration", _("BC Open to Collaboration")
    BC_OPEN_TO_COMMERCIALIZATION = "bc-open-to-commercialization", _("BC Open to Commercialization")
    BC_OUTREACH = "bc-outreach", _("BC Outreach")


LABEL_EXPLANATIONS = {
    LocalContextsLabel.TK_ATTRIBUTION: _(
        "Name the community this knowledge comes from whenever you use it."
    ),
    LocalContextsLabel.TK_CLAN: _("This material belongs to a clan, which decides how it is used."),
    LocalContextsLabel.TK_FAMILY: _(
        "This material belongs to a family, which decides how it is used."
    ),
    LocalContextsLabel.TK_MULTIPLE_COMMUNITIES: _(
        "Several communities hold this knowledge together and share responsibility for it."
    ),
    LocalContextsLabel.TK_COMMUNITY_VOICE: _(
        "The community has added its own account of this material; read it before using it."
    ),
    LocalContextsLabel.TK_CREATIVE: _(
        "This is the creative work of the community and its members."
    ),
    LocalContextsLabel.TK_VERIFIED: _(
        "The community has checked that this material is shown and described appropriately."
    ),
    LocalContextsLabel.TK_NON_VERIFIED: _(
        "The community has not yet checked how this material is shown or described."
    ),
    LocalContextsLabel.TK_SEASONAL: _(
        "This material is meant to be heard or used only at certain times of the year."
    ),
    LocalContextsLabel.TK_WOMEN_GENERAL: _(
        "This material is usually shared among women; please respect that."
    ),
    LocalContextsLabel.TK_MEN_GENERAL: _(
        "This material is usually shared among men; please respect that."
    ),
    LocalContextsLabel.TK_WOMEN_RESTRICTED: _("This material is for women only."),
    LocalContextsLabel.TK_MEN_RESTRICTED: _("This material is for men only."),
    LocalContextsLabel.TK_CULTURALLY_SENSITIVE: _(
        "This material is culturally sensitive; ask the community before reusing it."
    ),
    LocalContextsLabel.TK_SECRET_SACRED: _(
        "This material is secret or sacred and is shared only with those entitled to it."
    ),
    LocalContextsLabel.TK_OPEN_TO_COMMERCIALIZATION: _(
        "The community is open to fair commercial use, agreed with it."
    ),
    LocalContextsLabel.TK_NON_COMMERCIAL: _("Do not use this material commercially."),
    LocalContextsLabel.TK_COMMUNITY_USE_ONLY: _(
        "This material is for use within the community only."
    ),
    LocalContextsLabel.TK_OUTREACH: _(
        "The community shares this material for teaching and outreach."
    ),
    LocalContextsLabel.TK_OPEN_TO_COLLABORATION: _(
        "The community welcomes collaboration and research with it on this material."
    ),
    LocalContextsLabel.BC_PROVENANCE: _(
        "The community holds rights of origin over this biocultural material."
    ),
    LocalContextsLabel.BC_MULTIPLE_COMMUNITIES: _(
        "Several communities share responsibility for this biocultural material."
    ),
    LocalContextsLabel.BC_CLAN: _("A clan holds responsibility for this biocultural material."),
    LocalContextsLabel.BC_CONSENT_VERIFIED: _(
        "The community gave free, prior and informed consent to this use."
    ),
    LocalContextsLabel.BC_CONSENT_NON_VERIFIED: _(
        "The community's consent to this use has not been verified."
    ),
    LocalContextsLabel.BC_RESEARCH_USE: _(
        "The community allows research use that follows its conditions."
    ),
    LocalContextsLabel.BC_OPEN_TO_COLLABORATION: _(
        "The community welcomes research partnerships on this biocultural material."
    ),
    LocalContextsLabel.BC_OPEN_TO_COMMERCIALIZATION: _(
        "The community is open to fair commercial use of this biocultural material."
    ),
    LocalContextsLabel.BC_OUTREACH: _(
        "The community shares this biocultural material for education and outreach."
    ),
}


class RightsStatement(models.TextChoices):
    """The rights a record's material is published under, as RightsStatements.org or CC URIs."""

    CC0 = "https://creativecommons.org/publicdomain/zero/1.0/", _("CC0 1.0 (public domain)")
    PUBLIC_DOMAIN_MARK = (
        "https://creativecommons.org/publicdomain/mark/1.0/",
        _("Public Domain Mark 1.0"),
    )
    CC_BY = "https://creativecommons.org/licenses/by/4.0/", _("CC BY 4.0")
    CC_BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/", _("CC BY-SA 4.0")
    CC_BY_NC = "https://creativecommons.org/licenses/by-nc/4.0/", _("CC BY-NC 4.0")
    CC_BY_NC_SA = "https://creativecommons.org/licenses/by-nc-sa/4.0/", _("CC BY-NC-SA 4.0")
    CC_BY_ND = "https://creativecommons.org/licenses/by-nd/4.0/", _("CC BY-ND 4.0")
    CC_BY_NC_ND = "https://creativecommons.org/licenses/by-nc-nd/4.0/", _("CC BY-NC-ND 4.0")
    IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/", _("In Copyright")
    IN_COPYRIGHT_EDUCATIONAL = (
        "http://rightsstatements.org/vocab/InC-EDU/1.0/",
        _("In Copyright – Educational Use Permitted"),
    )
    IN_COPYRIGHT_NON_COMMERCIAL = (
        "http://rightsstatements.org/vocab/InC-NC/1.0/",
        _("In Copyright – Non-Commercial Use Permitted"),
    )
    IN_COPYRIGHT_UNKNOWN_HOLDER = (
        "http://rightsstatements.org/vocab/InC-RUU/1.0/",
        _("In Copyright – Rights-holder(s) Unlocatable or Unidentifiable"),
    )
    NO_COPYRIGHT_CONTRACTUAL = (
        "http://rightsstatements.org/vocab/NoC-CR/1.0/",
        _("No Copyright – Contractual Restrictions"),
    )
    NO_COPYRIGHT_NON_COMMERCIAL = (
        "http://rightsstatements.org/vocab/NoC-NC/1.0/",
        _("No Copyright – Non-Commercial Use Only"),
    )
    NO_COPYRIGHT_OTHER_LEGAL = (
        "http://rightsstatements.org/vocab/NoC-OKLR/1.0/",
        _("No Copyright – Other Known Legal Restrictions"),
    )
    NO_KNOWN_COPYRIGHT = "http://rightsstatements.org/vocab/NKC/1.0/", _("No Known Copyright")
    COPYRIGHT_NOT_EVALUATED = (
        "http://rightsstatements.org/vocab/CNE/1.0/",
        _("Copyright Not Evaluated"),
    )
    COPYRIGHT_UNDETERMINED = (
        "http://rightsstatements.org/vocab/UND/1.0/",
        _("Copyright Undetermined"),
    )


class ContentWarning(models.TextChoices):
    """What a reader may want to know before opening a record."""

    DECEASED = "deceased", _("Images or voices of people who have died")
    SACRED = "sacred", _("Sacred or ceremonial material")
    FUNERAL = "funeral", _("Funeral and burial practices")
    SACRIFICE = "sacrifice", _("Animal sacrifice")
