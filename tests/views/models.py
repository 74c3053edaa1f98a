"""A model for rendering querysets through the handler."""

from __future__ import annotations

from asgi_cycle.db import models


class Item(models.Model):
    name = models.CharField(max_length=50)
    price = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["id"]
