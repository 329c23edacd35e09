"""Campaigns, enrolment with consent, and each GP's journey through a campaign."""
