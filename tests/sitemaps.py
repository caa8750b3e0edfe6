"""Reading the sitemap as a crawler does: the index, then every file it names."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


def files(client):
    """The paths (with their query) of the files the sitemap index names."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    root = ET.fromstring(index.content)
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    found = []
    for location in root.findall("s:sitemap/s:loc", NS):
        parts = urlsplit(location.text)
        found.append(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    return found


def entries(client):
    """Every ``<url>`` of every file, by its location."""
    found = {}
    for path in files(client):
        answer = client.get(path)
        assert answer.status_code == 200, path
        for url in ET.fromstring(answer.content).findall("s:url", NS):
            found[url.findtext("s:loc", namespaces=NS)] = url
    return found


def locations(client):
    """Every address the sitemap lists."""
    return set(entries(client))
