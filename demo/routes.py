"""The walk over the site's routes that the demo's checks and the tests share: the screens of an account's left
menu (what a demo user can reach), and every URL pattern of the project (what the role × URL matrix covers)."""

from django.urls import URLPattern, URLResolver, get_resolver

from jxjy.portal.menu import menu_for


def menu_screens(user) -> list[tuple[str, str]]:
    """(label, url) of every screen in the user's left menu: each entry's children, then the entry itself."""
    out = []
    for item in menu_for(user):
        out.extend((f"{item.label} → {c.label}", c.url) for c in item.children)
        if item.url:
            out.append((item.label, item.url))
    return out


def project_routes() -> list[tuple[str, URLPattern]]:
    """Every URL pattern of the project, as its full route (unnamed ones too)."""

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern), p

    return list(walk(get_resolver().url_patterns))
