"""The hostile-request suite: every row of ``/work/shared/BAD_INPUT.md``, one test each.

Tests are named ``test_row_NN_...`` after their row and run through the ASGI
app and the WSGI shim (``path_kind``), and, where the wire matters, as raw
bytes against real ``uvicorn app.asgi:application`` and ``gunicorn
app.wsgi:application`` processes (``@pytest.mark.servers``).

=================  ===========================================================
module             rows
=================  ===========================================================
test_hosts         1-3 Host header
test_bodies        4, 5, 46 bodies over the limit, ``Expect: 100-continue``
test_forms         6-15 urlencoded and multipart forms, uploads
test_paths         16, 17, 19, 20, 24, 41, 44, 48 paths, queries, methods
test_responses     21-23, 43, 45 redirects, response headers, ranges, downloads
test_headers       28, 29, 42 repeated, underscore and long headers (in process)
test_limits        26 request line length
test_wire          18, 25, 27-34, 47 framing and smuggling on the wire
test_json          38-40 JSON bodies
test_slow          34 (unfinished framing), 35-37 slow and vanishing clients
=================  ===========================================================
"""
