"""The request handler: entry point, middleware onion and exception mapping."""
