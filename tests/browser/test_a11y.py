"""axe-core (from npm, tests/node_modules) finds no serious or critical
accessibility violations on the home, a topic, a paper and the all-papers
page, in light and dark mode (colour contrast differs between them) and at
phone width (the layout changes)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser


def axe_violations(page, axe_path) -> list[dict]:
    # The page CSP forbids injected scripts; the a11y context bypasses CSP
    # (bypass_csp=True) so axe can be added as an inline script.
    page.add_script_tag(path=str(axe_path))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("viewport, color_scheme", [("desktop", "light"), ("desktop", "dark"), ("phone", "light")])
@pytest.mark.parametrize("kind", ["home", "topic", "paper", "papers"])
def test_no_serious_accessibility_violations(open_page, pages, axe_path, kind, viewport, color_scheme):
    pages = pages | {"papers": "papers.html"}
    visit = open_page(pages[kind], viewport=viewport, color_scheme=color_scheme, bypass_csp=True)
    violations = axe_violations(visit.page, axe_path)
    assert violations == [], json.dumps(violations, indent=1)
