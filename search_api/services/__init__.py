"""Services behind the API routes: statistics (holdings, indicators, landscape)."""
