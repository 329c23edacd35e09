"""Accounts: registration, login, password reset, roles."""
