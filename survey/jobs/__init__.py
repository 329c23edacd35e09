"""Background jobs on huey: email delivery from the outbox, certificate ZIPs, the minute sweep (see docs/jobs.md)."""
