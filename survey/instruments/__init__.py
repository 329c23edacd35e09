"""Survey instrument definitions and their frozen versions."""
