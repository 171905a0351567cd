"""The outside world behind the domain's ports and the store: password hashing and
strength, OTPs, mail delivery, the SQLite recorder's bell and PostgreSQL's LISTEN/NOTIFY."""
