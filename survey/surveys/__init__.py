"""Survey waves (pre, post, follow-up): responses, save and resume, scoring."""
