"""The risk heatmap page: counts per cell, links that filter the list, summary and top risks."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from defusedxml import ElementTree
from django.urls import reverse

from schakel.registers import services
from schakel.registers.models import Risk, RiskCategory
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def maps(html: str) -> list[ElementTree.Element]:
    """The inline SVG heatmaps of a page, parsed."""
    found = []
    rest = html
    while "<svg" in rest:
        start = rest.index("<svg")
        end = rest.index("</svg>", start) + len("</svg>")
        found.append(ElementTree.fromstring(rest[start:end]))
        rest = rest[end:]
    return [svg for svg in found if "heatmap" in (svg.get("class") or "")]


def cells(svg: ElementTree.Element) -> dict[tuple[int, int], int]:
    """Count per (probability, impact) as drawn, for cells holding risks."""
    counts = {}
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") == "heatmap-cell-group" and int(group.get("data-count")):
            key = (int(group.get("data-probability")), int(group.get("data-impact")))
            counts[key] = int(group.get("data-count"))
    return counts


def links(svg: ElementTree.Element) -> dict[tuple[int, int], str]:
    """The link of each linked cell."""
    found = {}
    for anchor in svg.iter(f"{SVG}a"):
        group = anchor.find(f"{SVG}g")
        key = (int(group.get("data-probability")), int(group.get("data-impact")))
        found[key] = anchor.get("href")
    return found


def heatmap_url(org, kind="project"):
    return reverse(f"registers:{kind}_heatmap", args=[getattr(org, kind).pk])


def test_it_counts_open_risks_per_cell_on_both_maps(org, pmo, client_as):
    factories.risk(org.project, pmo, probability=4, impact=5)
    factories.risk(
        org.project, pmo, probability=4, impact=5, residual_probability=2, residual_impact=3
    )
    factories.risk(org.project, pmo, probability=1, impact=2)
    factories.risk(org.project, pmo, probability=5, impact=5, status=Risk.Status.CLOSED)
    trashed = factories.risk(org.project, pmo, probability=5, impact=5)
    services.item_trash(item=trashed, by=pmo)
    factories.risk(org.sibling, pmo, probability=3, impact=3)  # another project

    response = client_as(pmo).get(heatmap_url(org))

    inherent, residual = maps(response.content.decode())
    assert cells(inherent) == {(4, 5): 2, (1, 2): 1}
    # A risk without a residual assessment stays at its inherent cell on the residual map.
    assert cells(residual) == {(4, 5): 1, (2, 3): 1, (1, 2): 1}


def test_each_cell_links_to_the_risk_list_filtered_on_that_cell(org, pmo, client_as):
    factories.risk(
        org.project, pmo, probability=4, impact=5, residual_probability=2, residual_impact=3
    )

    inherent, residual = maps(client_as(pmo).get(heatmap_url(org)).content.decode())

    base = reverse("registers:project_list", kwargs={"pk": org.project.pk, "register": "risks"})
    href = links(inherent)[(4, 5)]
    assert urlsplit(href).path == base
    assert parse_qs(urlsplit(href).query) == {
        "probability": ["4"],
        "impact": ["5"],
        "state": ["open_items"],
    }
    residual_href = links(residual)[(2, 3)]
    assert parse_qs(urlsplit(residual_href).query) == {
        "probability": ["2"],
        "impact": ["3"],
        "state": ["open_items"],
        "residual": ["true"],
    }
    assert set(links(inherent)) == {(4, 5)}  # empty cells are not links


def test_programme_and_portfolio_maps_link_to_their_own_lists(org, pmo, client_as):
    factories.risk(org.project, pmo, probability=2, impact=2)
    factories.risk(org.other_project, pmo, probability=2, impact=2)
    client = client_as(pmo)

    programme_map = maps(client.get(heatmap_url(org, "programme")).content.decode())[0]
    portfolio_map = maps(client.get(heatmap_url(org, "portfolio")).content.decode())[0]

    assert cells(programme_map) == {(2, 2): 1}
    assert cells(portfolio_map) == {(2, 2): 2}
    assert urlsplit(links(programme_map)[(2, 2)]).path == reverse(
        "registers:programme_list", kwargs={"pk": org.programme.pk, "register": "risks"}
    )
    assert urlsplit(links(portfolio_map)[(2, 2)]).path == reverse(
        "registers:portfolio_list", kwargs={"pk": org.portfolio.pk, "register": "risks"}
    )


def test_nature_and_category_filter_the_maps_and_the_cell_links(org, pmo, client_as):
    it = RiskCategory.objects.get(name_en="IT and data")
    factories.risk(org.project, pmo, probability=3, impact=3, category=it)
    factories.risk(org.project, pmo, probability=3, impact=3)
    factories.risk(org.project, pmo, probability=2, impact=2, nature=Risk.Nature.OPPORTUNITY)
    client = client_as(pmo)

    by_category = maps(client.get(heatmap_url(org), {"category": it.pk}).content.decode())[0]
    opportunities = maps(client.get(heatmap_url(org), {"nature": "opportunity"}).content.decode())[
        0
    ]

    assert cells(by_category) == {(3, 3): 1}
    assert parse_qs(urlsplit(links(by_category)[(3, 3)]).query)["category"] == [str(it.pk)]
    assert cells(opportunities) == {(2, 2): 1}
    assert parse_qs(urlsplit(links(opportunities)[(2, 2)]).query)["nature"] == ["opportunity"]


def test_a_filter_it_does_not_understand_is_left_out_not_an_error(org, pmo, client_as):
    factories.risk(org.project, pmo, probability=3, impact=3)

    response = client_as(pmo).get(heatmap_url(org), {"category": "abc", "nature": "x"})

    assert response.status_code == 200
    assert cells(maps(response.content.decode())[0]) == {(3, 3): 1}
    assert "A filter was not understood" in response.content.decode()


def test_the_page_lists_the_ten_highest_risks_by_current_score(org, pmo, member, client_as):
    for n in range(12):
        factories.risk(org.project, pmo, title=f"Risk {n}", probability=1, impact=n % 5 + 1)
    top = factories.risk(org.project, pmo, title="Top", probability=5, impact=5, owner=member)
    lowered = factories.risk(
        org.project,
        pmo,
        title="Lowered",
        probability=5,
        impact=5,
        residual_probability=1,
        residual_impact=1,
    )

    response = client_as(pmo).get(heatmap_url(org))

    listed = response.context["data"].top
    assert len(listed) == 10
    assert listed[0].risk == top
    assert listed[0].score == 25
    assert listed[0].band.key == "critical"
    assert lowered not in [t.risk for t in listed]  # its residual score is 1
    scores = [t.score for t in listed]
    assert scores == sorted(scores, reverse=True)
    assert top.ref in response.content.decode()


def test_it_explains_the_maps_in_words_and_shows_a_legend(org, pmo, client_as):
    factories.risk(org.project, pmo, probability=5, impact=5)
    factories.risk(
        org.project, pmo, probability=1, impact=1, residual_probability=1, residual_impact=1
    )

    html = client_as(pmo).get(heatmap_url(org)).content.decode()

    assert "2 open risks. Before responses: 1 critical, 1 low." in html
    assert "counted at their inherent position in the residual map: 1 of 2 risks" in html
    for label in ("Low", "Medium", "High", "Critical"):
        assert f"</span>{label}</th>" in html
    assert "17–25" in html  # the critical band of the 5×5 scale


def test_the_scale_labels_follow_the_users_language(org, pmo, client_as):
    factories.risk(org.project, pmo, probability=5, impact=5)
    client = client_as(pmo)
    client.cookies["django_language"] = "nl"

    response = client.get(heatmap_url(org), headers={"Accept-Language": "nl"})

    inherent = maps(response.content.decode())[0]
    ticks = [t.text for t in inherent.iter(f"{SVG}text") if t.get("data-probability")]
    assert "Zeer groot" in ticks


def test_without_open_risks_it_says_so(org, pmo, client_as):
    html = client_as(pmo).get(heatmap_url(org)).content.decode()
    assert "No open risks here" in html
    assert maps(html) == []


def test_htmx_swaps_only_the_maps(org, pmo, client_as):
    factories.risk(org.project, pmo)
    response = client_as(pmo).get(heatmap_url(org), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert len(maps(html)) == 2
    assert "HX-Request" in response["Vary"]
