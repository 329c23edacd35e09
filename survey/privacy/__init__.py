"""A GP's rights over their data (UK GDPR): download it, withdraw research consent, delete the account."""
