"""E-learning modules: content, page delivery, progress and knowledge checks."""
