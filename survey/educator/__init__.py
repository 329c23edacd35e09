"""Educators' pages: campaign dashboards."""
