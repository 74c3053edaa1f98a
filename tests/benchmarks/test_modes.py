"""The runner's command line picks the mode and its overrides."""

from __future__ import annotations

from benchmarks.run import FULL, QUICK, choose_mode


def test_quick_is_the_default_and_full_is_chosen_by_flag():
    assert choose_mode(False, None, None, None) == QUICK
    assert choose_mode(True, None, None, None) == FULL


def test_rounds_and_seconds_override_only_themselves():
    mode = choose_mode(False, 3, None, None)
    assert (mode.rounds, mode.seconds, mode.tests) == (3, QUICK.seconds, QUICK.tests)
    mode = choose_mode(False, None, 2.5, None)
    assert (mode.rounds, mode.seconds) == (QUICK.rounds, 2.5)


def test_memory_requests_take_the_full_modes_steps_and_cap():
    mode = choose_mode(False, None, None, 100_000)
    assert mode.memory_requests == 100_000
    assert (mode.memory_step, mode.memory_cap) == (FULL.memory_step, FULL.memory_cap)
    # The timed part of the quick mode is untouched.
    assert (mode.rounds, mode.seconds, mode.tests) == (QUICK.rounds, QUICK.seconds, QUICK.tests)
