"""{{ doc|review_slug }}: the slug of a document's kind, for the review URLs (review:act, review:waiting)."""

from django import template
from django.db.models import Model

from jxjy.review.registry import kind_of

register = template.Library()


@register.filter
def review_slug(doc: Model) -> str:
    return kind_of(doc).slug
