"""The main navigation's link to the analysis, for those whose ``may_open_analysis`` allows."""

from typing import Any

from django import template

from accord.analysis import access

register = template.Library()


@register.filter
def may_open_analysis(user: Any) -> bool:
    return access.may_open_analysis(user)
