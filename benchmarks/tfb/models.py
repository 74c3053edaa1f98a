"""TechEmpower's two tables."""

from __future__ import annotations

from asgi_cycle.db import models


class World(models.Model):
    id = models.AutoField(primary_key=True)
    randomnumber = models.IntegerField()

    class Meta:
        db_table = "world"


class Fortune(models.Model):
    id = models.AutoField(primary_key=True)
    message = models.TextField()

    class Meta:
        db_table = "fortune"
