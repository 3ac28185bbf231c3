"""API endpoints of the accounts app."""


def register(router):
    """Add this app's viewsets to the API router."""
