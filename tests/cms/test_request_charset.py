"""A request naming a charset nothing can decode with is read as UTF-8, on every page."""

import io
import os
import subprocess
import sys

import pytest

from cms.wsgi import readable_charsets

CHARSETS = ["rot13", "hex", "zlib_codec", "punycode", "no-such-codec", "utf-8"]


@pytest.mark.parametrize("charset", CHARSETS)
def test_the_wsgi_application_reads_a_charset_that_decodes_nothing_as_utf8(charset):
    seen = {}

    def application(environ, start_response):
        from django.core.handlers.wsgi import WSGIRequest

        request = WSGIRequest(environ)
        seen["query"] = request.GET.get("q")
        seen["form"] = request.POST.get("verb")
        start_response("200 OK", [])
        return [b""]

    body = b"verb=Identify"
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/oai/",
        "QUERY_STRING": "q=l%E1%BB%85",
        "CONTENT_TYPE": f"application/x-www-form-urlencoded; charset={charset}",
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
    }
    readable_charsets(application)(environ, lambda status, headers: None)
    assert seen == {"query": "lễ", "form": "Identify"}


def test_the_deployed_application_answers_every_charset(tmp_path):
    """Through ``cms.wsgi.application`` itself, in a process of its own."""
    script = (
        "import io, wsgiref.util\n"
        "from cms.wsgi import application\n"
        f"for charset in {CHARSETS!r}:\n"
        "    environ = {}\n"
        "    wsgiref.util.setup_testing_defaults(environ)\n"
        "    environ.update(PATH_INFO='/robots.txt', HTTP_HOST='127.0.0.1',\n"
        "        CONTENT_TYPE='text/plain; charset=' + charset)\n"
        "    status = []\n"
        "    b''.join(application(environ, lambda s, h, *a: status.append(s)))\n"
        "    print(charset, status[0])\n"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, check=True
    )
    assert done.stdout.split("\n")[:-1] == [f"{charset} 200 OK" for charset in CHARSETS]
