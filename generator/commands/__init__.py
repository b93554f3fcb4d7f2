"""The commands besides build: serve, deploy, new, fetch (the network half)."""
