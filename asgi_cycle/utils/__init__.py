"""Small utilities shared by the stages of the cycle."""
