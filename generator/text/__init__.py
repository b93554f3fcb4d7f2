"""Words, names and identifiers: what every layer reads in a paper's text."""
