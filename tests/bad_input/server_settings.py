"""Settings for the real servers of this suite: the example app's, with short timeouts.

``CYCLE_BODY_TIMEOUT`` is small so that the slow-body test (row 35) ends in
seconds; the urlconf adds this suite's views to the example app's routes.
"""

from app.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bad_input.urls"
CYCLE_BODY_TIMEOUT = 2.0
