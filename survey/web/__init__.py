"""Cross-cutting web pieces: error pages, access decorators, health check."""
