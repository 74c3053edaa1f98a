"""The article's example app: products, runnable under Uvicorn and Gunicorn."""
