"""Importing heritage records from a spreadsheet: CSV, XLSX, or a ZIP of either with media files.

One row per record, in the columns the export writes (``heritage.exporting``), so exporting and
importing again changes nothing. The header names the columns, in any order. Only
``external_id`` and ``title_vi`` are required: a column left out of the file leaves that field of
existing records as it is (new records get the model's default), while an empty cell empties the
field, or sets its default (``duration_days`` 1, ``rights_statement`` "copyright not evaluated").

Columns
-------
- ``external_id``: the record's identifier in the source catalogue. A row whose external id is
  already in the archive updates that record; any other row creates one. See *Hidden records*.
- ``kind``: festival, ritual, craft, performing-art, oral-tradition, belief or other.
- ``slug``: empty makes one from the Vietnamese title for a new record, and keeps an existing
  record's. A slug another record has is refused; one made from a title gets a suffix (``-2``).
- ``title_<lang>``, ``summary_<lang>``, ``description_<lang>``, ``season_<lang>`` and
  ``content_warning_note_<lang>`` for every content language of ``cms.languages`` (``title_vi``,
  ``title_en``, ``title_km``…). Every row needs ``title_vi``.
- ``ethnic_groups``: GSO codes separated by ``;``, e.g. ``02; 03``.
- ``places`` (several, separated by ``;``) and ``recording_place`` (one): see *Places*.
- ``practitioners``: names separated by `` | `` (line breaks inside the cell work too).
- ``date_rule``: empty, lunar, gregorian or season; ``date_month``, ``date_day``,
  ``date_leap_month`` (yes/no), ``duration_days``, ``season_start_month``, ``season_end_month``.
- ``recorded_by``; ``recorded_on`` as an ISO date, 2024-03-15; ``consent_obtained`` (yes/no);
  ``consent_given_by``.
- ``rights_statement``: the URI of a RightsStatements.org statement or Creative Commons licence;
  ``rights_holder``.
- ``content_warnings``: codes separated by ``;`` (deceased, sacred…).
- ``protocol``: public, community, restricted or secret-sacred; an empty cell is refused, so a
  record never becomes public by accident. ``communities``: community group names separated by
  ``;``.
- ``labels``, ``sources`` and ``media``: see *Lists of items*.

Yes/no cells take yes/no, true/false, 1/0 or có/không; empty means no. In a CSV file, a cell
the export had to quote with an apostrophe so that spreadsheet programs do not run it as a
formula (one starting with ``=``, ``+``, ``-`` or ``@``) is read without the apostrophe.

Places
------
A place with a GSO code is written as its code: ``03010``. Any other place is written as its path
of names from the top-level unit down, separated by ``/``: ``Lào Cai``, ``Lào Cai/Xã Bản Hồ``.
A unit no longer in force carries the last day it was in force after ``@``: ``Hà Giang@2025-06-30``
or ``Hà Giang@2025-06-30/Xã Lũng Cú@2025-06-30``. The export always writes this form. On import
the ``@`` date may be left out where the path is still unambiguous, a unit in force being
preferred to a former one of the same name: ``Hà Nội`` is today's city, ``Hà Giang`` the former
province.

Lists of items
--------------
``labels`` is Local Contexts label codes separated by ``;``: ``tk-seasonal; bc-provenance``.
``sources`` is citations separated by `` || ``, each optionally ending with its link in angle
brackets: ``Đặng Nghiêm Vạn (1998), NXB KHXH <https://example.org/x> || Phỏng vấn ông Lò Văn A``.
``media`` is files separated by ``;``, each a path inside the ZIP (``photos/xoe.jpg``) or an image
or recording already in the library (``image:12``, ``media:7``).

Each of these three cells may instead hold a JSON list of objects, which carries what the short
form cannot:

- ``[{"label": "tk-seasonal", "explanation_vi": "…", "explanation_en": "…"}]``
- ``[{"citation": "…", "url": "https://…"}]``
- ``[{"file": "photos/xoe.jpg", "caption_vi": "…", "caption_en": "…", "credit": "…",
  "protocol": "community"}]``, with ``"image": 12`` or ``"media": 7`` instead of ``"file"``
  for what the library holds already; ``protocol`` defaults to public.

The export writes the short form whenever it loses nothing.

Media files
-----------
A ZIP holds one CSV or XLSX file at its top level and the media files its rows name, by their
path from the ZIP's root. Each goes through the admin's own upload form: images are re-encoded
without metadata (``media.forms.SafeImageForm``), audio and video are probed
(``media.validation.inspect_upload``) and queued for processing once the import commits. A file
whose content the record already has (same hash) is recognised, not stored again. Paths that
leave the ZIP (``../``, absolute paths), missing files and files the upload checks refuse are
errors of their row; a ZIP unpacking to more than ``BANLANG_MEDIA["MAX_UPLOAD_BYTES"]`` is
refused whole.

Hidden records
--------------
An officer's rows see only the records the officer may see under their cultural protocols;
a record hidden from them is answered exactly as a record that does not exist, as far as the
archive's unique identifiers allow. Rows never find, update, name or count it: a row naming its
external id, or, without one, its slug, reads as a row naming no record.

- Slug: a slug only hidden records have reads, in the check, exactly as a free slug, whether the
  row names it or its title makes it; the record gets a free variant of it (``-2``, ``-3``…), the
  suffix a title slug another record has gets. Only the record's slug shows it.
- External id: an id is unique in the whole archive, so no new record can take one a hidden
  record holds. The check reads the row as creating a record, as it would for an id never used;
  the import then refuses the row ("cannot be given to a new record"), giving no reason, and
  imports nothing. This is the one difference left between a hidden record and a missing one,
  and it cannot be removed while the id is unique: importing the row without its id would differ
  too, and would add the record again at every later import of the file. Refusing keeps the file
  and the archive in step, and publishes nothing until the officer gives the row another id.
- Images and recordings named as ``image:12`` or ``media:7`` that a media item hidden from the
  officer uses are refused with the very message a missing one gets.

Checking and writing
--------------------
Every row is checked in full, with the models' own validation, before anything is written; errors
name the row and column, in the importing officer's language. A dry run reports what would be
created, updated or left unchanged, and the errors, and writes nothing. A real run writes every
row in one transaction, or nothing (and no file) if any row is refused. A row identical to its
record is not saved at all; a created or changed record gets one revision of what was imported.
A new record is a draft until that revision is published; a changed one has its fields written
at once, as the file says. Once the import commits, background tasks publish the revisions
through Wagtail, 200 records to a task, as an officer's "Publish" does: the live revision and
dates, the log, the ``published`` signal and the save signals (search, reference index,
translation state), each task's indexing queued once; a record not yet live with a "go live"
date to come waits for it. A record saved again in between keeps its newer revision.
"""

from heritage.importing.importer import (
    Action,
    ImportReport,
    RowError,
    RowOutcome,
    import_records,
)
from heritage.importing.layout import COLUMNS

__all__ = ["COLUMNS", "Action", "ImportReport", "RowError", "RowOutcome", "import_records"]
