"""serve(): files under document_root only; traversal, NUL, symlinks out and dirs are 404."""

from __future__ import annotations

import os

import pytest

from asgi_cycle.http import Http404
from asgi_cycle.views.static import safe_path, serve

from .requests import make_request


@pytest.fixture
def root(tmp_path):
    """tmp/static (served), with a sibling tmp/static-private and a secret outside."""
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "site.css").write_text("body{}")
    (static / "notes.txt.gz").write_bytes(b"\x1f\x8b")
    (static / "data.bin").write_bytes(b"\x00\x01")
    private = tmp_path / "static-private"
    private.mkdir()
    (private / "key.txt").write_text("sibling secret")
    (tmp_path / "settings.py").write_text("SECRET = 1")
    os.symlink(tmp_path / "settings.py", static / "link-out.py")
    os.symlink(private, static / "dir-out")
    os.symlink(static / "css" / "site.css", static / "link-in.css")
    return static


def content_of(response):
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


def test_serves_a_file_with_type_and_last_modified(root):
    response = serve(make_request(), "css/site.css", document_root=str(root))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert "Last-Modified" in response.headers
    assert content_of(response) == b"body{}"


def test_unknown_type_and_encoding(root):
    response = serve(make_request(), "data.bin", document_root=root)
    assert response["Content-Type"] == "application/octet-stream"
    content_of(response)
    response = serve(make_request(), "notes.txt.gz", document_root=root)
    assert response["Content-Encoding"] == "gzip"
    content_of(response)


def test_symlink_inside_the_root_is_served(root):
    assert content_of(serve(make_request(), "link-in.css", document_root=root)) == b"body{}"


def test_if_modified_since_gives_304(root):
    response = serve(make_request(), "css/site.css", document_root=root)
    stamp = response["Last-Modified"]
    content_of(response)
    request = make_request(headers={"If-Modified-Since": stamp})
    response = serve(request, "css/site.css", document_root=root)
    assert response.status_code == 304
    request = make_request(headers={"If-Modified-Since": "not a date"})
    response = serve(request, "css/site.css", document_root=root)
    assert response.status_code == 200
    content_of(response)


# The resolver hands views decoded paths: %2e%2e arrives as "..", ..%2f as "../".
TRAVERSAL = [
    "../settings.py",
    "css/../../settings.py",
    "/../settings.py",
    "..",
    "../static-private/key.txt",
    "./../static-private/key.txt",
    "link-out.py",
    "dir-out/key.txt",
    "css/..%2f..%2fsettings.py",
    "%2e%2e/settings.py",
    "css/site.css\x00.png",
    "\x00",
    "/etc/passwd",
    "missing.css",
    "css",
    "css/",
    "",
]


@pytest.mark.parametrize("path", TRAVERSAL)
def test_traversal_matrix_is_404(root, path):
    with pytest.raises(Http404):
        serve(make_request(), path, document_root=root)


def test_safe_path_refuses_prefix_siblings(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    assert safe_path(root, "../static-private/x") is None
    assert safe_path(root, "../static/x") == root.resolve() / "x"
    assert safe_path(root, "a\x00b") is None


def test_no_document_root_is_404():
    with pytest.raises(Http404):
        serve(make_request(), "x.css")


def test_show_indexes_lists_visible_entries_escaped(root):
    (root / "<b>&.txt").write_text("x")
    (root / ".hidden").write_text("x")
    response = serve(make_request(), "", document_root=root, show_indexes=True)
    text = response.content.decode()
    assert "<title>Index of /</title>" in text
    assert '<a href="css/">css/</a>' in text
    assert '<a href="%3Cb%3E%26.txt">&lt;b&gt;&amp;.txt</a>' in text
    assert ".hidden" not in text and "../" not in text
    text = serve(make_request(), "css/", document_root=root, show_indexes=True).text
    assert '<a href="../">../</a>' in text and '<a href="site.css">site.css</a>' in text


@pytest.mark.parametrize("path", ["..", "../", "dir-out/", "css/../..", "\x00"])
def test_show_indexes_never_lists_outside_the_root(root, path):
    with pytest.raises(Http404):
        serve(make_request(), path, document_root=root, show_indexes=True)
