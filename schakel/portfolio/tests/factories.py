"""Factories for the portfolio tree."""

import factory

from schakel.portfolio.models import Portfolio, Programme, Project, Theme


class PortfolioFactory(factory.django.DjangoModelFactory[Portfolio]):
    class Meta:
        model = Portfolio

    name = factory.Sequence(lambda n: f"Portfolio {n}")


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    portfolio = factory.SubFactory(PortfolioFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")


class ThemeFactory(factory.django.DjangoModelFactory[Theme]):
    class Meta:
        model = Theme

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    key = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"Project {n}")
