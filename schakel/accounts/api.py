"""API endpoints of the accounts app: people the caller may see, their profile, API tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from schakel.portfolio import access

from . import services
from .models import ApiToken, User
from .serializers import (
    ApiTokenCreatedSerializer,
    ApiTokenSerializer,
    MeSerializer,
    UserSerializer,
)


class ApiTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describe token authentication to the schema: `Authorization: Token <key>`."""

    target_class = "schakel.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Token",  # noqa: S106 (a keyword)
        )


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """People: the caller and those who share a scope with them; `me/` is the caller's profile."""

    serializer_class = UserSerializer

    def get_queryset(self) -> QuerySet[User]:
        return access.visible_users(self.request.user)

    @extend_schema(responses=MeSerializer, summary=_("The caller's own profile"))
    @action(detail=False, methods=["get"], serializer_class=MeSerializer)
    def me(self, request: Request) -> Response:
        return Response(MeSerializer(request.user, context=self.get_serializer_context()).data)

    @extend_schema(
        request=MeSerializer,
        responses=MeSerializer,
        summary=_("Change the caller's names, e-mail, language or time zone"),
    )
    @me.mapping.patch
    def update_me(self, request: Request) -> Response:
        serializer = MeSerializer(
            request.user, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own API tokens. Creating one shows its key once; revoking keeps the row."""

    serializer_class = ApiTokenSerializer

    def get_queryset(self) -> QuerySet[ApiToken]:
        if not self.request.user.is_authenticated:
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user)

    @extend_schema(request=ApiTokenSerializer, responses={201: ApiTokenCreatedSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = services.token_create(
            user=request.user, name=serializer.validated_data["name"]
        )
        token.key = key  # type: ignore[attr-defined]
        return Response(
            ApiTokenCreatedSerializer(token, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(summary=_("Revoke a token (it stays listed as revoked)"))
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.token_revoke(token=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=ApiTokenSerializer, summary=_("Revoke a token"))
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: Any = None) -> Response:
        token = services.token_revoke(token=self.get_object())
        return Response(self.get_serializer(token).data)


def register(router: Any) -> None:
    """Add this app's viewsets to the API router."""
    router.register("users", UserViewSet, basename="user")
    router.register("tokens", ApiTokenViewSet, basename="token")
