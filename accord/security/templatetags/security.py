from django import template

from accord.security.access import may_see_security_events

register = template.Library()


@register.filter
def may_see_security(user) -> bool:
    """For the navigation: the security page's link where its predicate says yes."""
    return may_see_security_events(user)
