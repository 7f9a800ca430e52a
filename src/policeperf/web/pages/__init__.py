"""One module per page: each builds the page's context (plain, JSON-ready data)."""
