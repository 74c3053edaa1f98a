"""TechEmpower-style benchmarks of asgi_cycle against its peers (issue 5)."""
