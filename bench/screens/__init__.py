"""Scripts that take the user guide's screenshots from a running demo server."""
