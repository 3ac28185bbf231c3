"""API endpoints of the portfolio app."""


def register(router):
    """Add this app's viewsets to the API router."""
