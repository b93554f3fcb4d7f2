"""Reading content/: site.yml and topics.yml, the listings, notes, metadata.yml."""
