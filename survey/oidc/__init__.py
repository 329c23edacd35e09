"""Sign-in with an organisation's OpenID Connect provider (e.g. OpenAthens Keystone), beside passwords."""
