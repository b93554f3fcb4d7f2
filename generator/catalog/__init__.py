"""The papers made from what was read: merged, put into topics, related, by author."""
