"""One module per ``asgi-cycle`` command."""
