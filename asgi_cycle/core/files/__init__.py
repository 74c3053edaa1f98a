"""File wrappers: ``File`` and the uploaded files of ``request.FILES``."""

from asgi_cycle.core.files.base import ContentFile, File

__all__ = ["ContentFile", "File"]
