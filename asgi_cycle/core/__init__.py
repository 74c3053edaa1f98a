"""The core of the cycle: exceptions, signals and the ASGI handler."""
