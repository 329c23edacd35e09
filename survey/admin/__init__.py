"""Administrators' pages: accounts and their roles, and the audit log."""
