"""The search index the browser queries: built, split into files, self-tested."""
