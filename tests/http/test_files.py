"""core.files: File and ContentFile, the base of uploaded files."""

from __future__ import annotations

import io

import pytest

from asgi_cycle.core.files import ContentFile, File
from asgi_cycle.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile


def test_file_over_a_real_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"one\ntwo\r\nthree\rfour")
    with File(path.open("rb")) as wrapped:
        assert wrapped.name == str(path)
        assert str(wrapped) == str(path) and bool(wrapped)
        assert wrapped.size == len(wrapped) == 19
        assert wrapped.mode == "rb"
        assert list(wrapped) == [b"one\n", b"two\r\n", b"three\r", b"four"]
        assert list(wrapped.chunks(8)) == [b"one\ntwo\r", b"\nthree\rf", b"our"]
        assert wrapped.multiple_chunks(8) and not wrapped.multiple_chunks()
        wrapped.seek(4)
        assert wrapped.tell() == 4
        assert wrapped.readline() == b"two\r\n"
        assert wrapped.readlines() == [b"three\rfour"]
        assert wrapped.readable() and wrapped.seekable() and not wrapped.writable()
    assert wrapped.closed
    reopened = wrapped.open()
    assert reopened.read(3) == b"one"
    reopened.close()


def test_lines_split_across_chunks():
    wrapped = File(io.BytesIO(b"ab\r\ncd\nef"), name="x")
    wrapped.DEFAULT_CHUNK_SIZE = 3
    assert list(wrapped) == [b"ab\r\n", b"cd\n", b"ef"]


def test_file_without_name_cannot_be_reopened():
    anonymous = File(io.BytesIO(b"abc"))
    assert anonymous.name is None and not anonymous
    assert repr(anonymous) == "<File: None>"
    assert anonymous.size == 3
    anonymous.close()
    with pytest.raises(ValueError):
        anonymous.open()


def test_writes_and_size_from_a_sized_object():
    buffer = io.BytesIO()
    wrapped = File(buffer, name="out.bin")
    wrapped.write(b"data")
    wrapped.flush()
    assert buffer.getvalue() == b"data"

    class Sized:
        size = 42

    assert File(Sized()).size == 42
    with pytest.raises(AttributeError):
        _ = File(object()).size


def test_content_file():
    text = ContentFile("héllo", name="t.txt")
    assert text.size == 5 and bool(ContentFile(b""))
    assert text.read() == "héllo"
    assert text.open().read(1) == "h"
    text.close()
    assert ContentFile(b"xyz").read() == b"xyz"


def test_uploaded_file_repr_and_in_memory_open():
    upload = InMemoryUploadedFile(io.BytesIO(b"abc"), "a.txt", "text/plain", 3, "utf-8")
    assert repr(upload) == "<InMemoryUploadedFile: a.txt (text/plain)>"
    upload.read()
    assert upload.open().read() == b"abc"
    assert list(upload.chunks(1)) == [b"a", b"b", b"c"]
    assert not upload.multiple_chunks(1)
    assert UploadedFile(io.BytesIO(b""), name=None).name is None
