"""Settings read from the environment: the one place every layer may take configuration from."""
