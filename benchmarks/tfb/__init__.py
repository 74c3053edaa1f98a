"""The TechEmpower test types written with asgi_cycle, the way a user would write them."""
