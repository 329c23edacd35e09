"""Controlled evaluations: allocation to arms, sample size, and the analyses of a controlled design."""
