"""Reflections' outcome: CPD certificates and their public verification."""
