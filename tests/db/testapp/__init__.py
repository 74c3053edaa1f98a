"""Models used by the ORM tests (app label ``testapp``)."""
