"""Organisations (e.g. charities) that commission campaigns and whose staff read their reports."""
