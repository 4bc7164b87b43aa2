"""How a signed-in request finds its user."""

from typing import Any

from django.contrib.auth.backends import ModelBackend


class AccordBackend(ModelBackend):
    """Django's model backend, loading the user's delegation with the user.

    Every request computes the viewer's clearance (``access.clearance``) from the
    delegation: fetched here in the same query, it costs nothing more per request.
    """

    def get_user(self, user_id: Any) -> Any:
        from accord.accounts.models import User

        try:
            user = User._default_manager.select_related("delegation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
