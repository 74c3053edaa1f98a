"""``python -m asgi_cycle`` and the ``asgi-cycle`` console script."""

from __future__ import annotations

import sys

from asgi_cycle.core.management import execute


def main() -> None:
    """Run the command line and exit with its status."""
    sys.exit(execute(sys.argv[1:]))


if __name__ == "__main__":
    main()
