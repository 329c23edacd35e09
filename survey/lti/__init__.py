"""LTI 1.3 tool: platforms such as Moodle launch our campaigns and modules, and receive their scores."""
