"""Personal invitations, reminders, the follow-up invitation and unsubscribing."""
