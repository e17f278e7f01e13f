"""Writing the site: review Markdown, HTML pages, search index, exports and feeds."""
