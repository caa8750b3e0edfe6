"""Unicode-correct text handling: NFC normalisation and truncation by grapheme cluster."""

import unicodedata
from typing import Any

import regex

KHMER_COENG = "\u17d2"
"""Khmer sign coeng: joins the next consonant below; a cut right after it breaks the stack."""

_GRAPHEME = regex.compile(r"\X")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode normalisation form C (composed)."""
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def nfc_data(data: Any) -> Any:
    """Normalise every string inside nested lists and dicts (StreamField raw data) to NFC."""
    if isinstance(data, str):
        return nfc(data)
    if isinstance(data, list):
        return [nfc_data(item) for item in data]
    if isinstance(data, dict):
        return {key: nfc_data(value) for key, value in data.items()}
    return data


def graphemes(text: str) -> list[str]:
    """Split ``text`` into user-perceived characters.

    Extended grapheme clusters keep base letters with their combining marks (Jrai "ơ̆" is two
    code points even in NFC). Khmer subscript consonants are kept with the consonant above them,
    which Unicode's cluster rules do not do for Khmer.
    """
    clusters: list[str] = []
    for cluster in _GRAPHEME.findall(text):
        if clusters and clusters[-1].endswith(KHMER_COENG):
            clusters[-1] += cluster
        else:
            clusters.append(cluster)
    return clusters


def truncate_graphemes(text: str, limit: int, ellipsis: str = "…") -> str:
    """Shorten ``text`` to at most ``limit`` user-perceived characters, ellipsis included.

    Cuts at the last space in the final fifth of the allowance when there is one, so words stay
    whole in spaced scripts; unspaced scripts (Khmer) are cut between clusters.
    """
    clusters = graphemes(text)
    if len(clusters) <= limit:
        return text
    kept = clusters[: max(limit - len(ellipsis), 0)]
    for index in range(len(kept) - 1, int(len(kept) * 0.8) - 1, -1):
        if kept[index].isspace():
            kept = kept[:index]
            break
    return "".join(kept).rstrip() + ellipsis
