"""Local stand-ins for an Elasticsearch cluster, which cannot run on these machines.

``FakeCluster`` is an HTTP server speaking Elasticsearch's REST protocol as the official client
expects it (product header, JSON and NDJSON bodies): it records every request and answers from
what the test gave it, without searching. It shows what our code sends and how it reads the
answers; what a real cluster does with them is for the tests marked ``elasticsearch``.
``SilentListener`` accepts TCP connections and never answers, like a hung cluster.
"""

import json
import re
import socket
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = {
    "name": "fake",
    "cluster_name": "banlang-test",
    "version": {"number": "8.15.0", "build_flavor": "default"},
    "tagline": "You Know, for Search",
}


class FakeCluster:
    """A recording Elasticsearch endpoint on 127.0.0.1; ``answers`` maps (method, path regex)
    to (status, body) for the requests a test cares about."""

    def __init__(self, plugins=()):
        self.requests = []
        self.answers = {}
        self.aliases = {}
        self.plugins = list(plugins)
        cluster = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                cluster.requests.append((self.command, self.path, raw))
                status, body = cluster.answer(self.command, self.path.split("?")[0], raw)
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header(
                    "Content-Type", "application/vnd.elasticsearch+json;compatible-with=8"
                )
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def answer(self, method, path, raw):
        for (wanted_method, pattern), reply in self.answers.items():
            if method == wanted_method and re.fullmatch(pattern, path):
                return reply
        if path == "/":
            return 200, VERSION
        if path == "/_nodes/plugins":
            node = {"plugins": [{"name": name} for name in self.plugins]}
            return 200, {"nodes": {"node-1": node}}
        if path.endswith("/_bulk"):
            return 200, bulk_answer(raw)
        if method == "HEAD" and path.startswith("/_alias/"):
            return (200 if path.removeprefix("/_alias/") in self.aliases.values() else 404), None
        if method == "GET" and path.startswith("/_alias/"):
            name = path.removeprefix("/_alias/")
            return 200, {
                index: {"aliases": {name: {}}}
                for index, alias in self.aliases.items()
                if alias == name
            }
        if method == "PUT" and "/_alias/" in path:
            index, name = path.strip("/").split("/_alias/")
            self.aliases = {i: a for i, a in self.aliases.items() if a != name} | {index: name}
            return 200, {"acknowledged": True}
        if method == "DELETE":
            self.aliases.pop(path.strip("/"), None)
        return 200, {"acknowledged": True}

    def sent(self, method, pattern):
        """The JSON bodies of the requests matching ``method`` and the path ``pattern``."""
        return [
            json.loads(raw) if raw else None
            for sent_method, path, raw in self.requests
            if sent_method == method and re.fullmatch(pattern, path.split("?")[0])
        ]

    def held(self):
        """The documents this cluster was sent and still holds, the last version of each."""
        documents = {}
        for operation, metadata, document in self.bulk_actions():
            if operation == "index":
                documents[metadata["_id"]] = document
            elif operation == "delete":
                documents.pop(metadata["_id"], None)
        return list(documents.values())

    def answer_searches_with(self, documents):
        """Answer every search with ``documents`` as hits, in this order, their total and their
        facet counts: what a cluster holding them would match, whoever asks."""
        buckets = Counter(token for document in documents for token in document["facets"])
        self.answers[("POST", r"/[^/]+/_search")] = (
            200,
            {
                "took": 1,
                "timed_out": False,
                "hits": {
                    "total": {"value": len(documents), "relation": "eq"},
                    "hits": [
                        {"_id": str(document["document_id"]), "_score": 1.0, "_source": document}
                        for document in documents
                    ],
                },
                "aggregations": {
                    "facets": {
                        "buckets": [
                            {"key": key, "doc_count": count} for key, count in buckets.items()
                        ]
                    }
                },
            },
        )

    def bulk_actions(self):
        """Every action of every bulk request, with its document, in order."""
        actions = []
        for _method, path, raw in self.requests:
            if path.split("?")[0].endswith("/_bulk"):
                actions += parse_bulk(raw)
        return actions


def parse_bulk(raw):
    """NDJSON bulk lines as (operation, metadata, document or None)."""
    lines = [json.loads(line) for line in raw.splitlines() if line.strip()]
    actions, position = [], 0
    while position < len(lines):
        ((operation, metadata),) = lines[position].items()
        document = None
        if operation in ("index", "create", "update"):
            position += 1
            document = lines[position]
        actions.append((operation, metadata, document))
        position += 1
    return actions


def bulk_answer(raw):
    """What a cluster answers to a bulk request that all went well (deletes find nothing)."""
    items = []
    for operation, metadata, _document in parse_bulk(raw):
        status = 404 if operation == "delete" else 201
        items.append({operation: {"_id": metadata.get("_id"), "status": status}})
    return {"took": 1, "errors": False, "items": items}


class SilentListener:
    """A TCP listener on 127.0.0.1 that accepts connections and never answers."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.connections = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def _accept(self):
        while True:
            try:
                connection, _address = self.socket.accept()
            except OSError:
                return
            self.connections.append(connection)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.socket.close()
        for connection in self.connections:
            connection.close()
