"""Writing the site: the pages and their layouts, feeds, social cards, the output."""
