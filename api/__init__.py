"""HTTP service: FastAPI app, storage and web pages (issue 7)."""
