"""Headers every answer carries that Django's SecurityMiddleware does not set.

- ``Cache-Control: no-store`` on every answer that did not choose its own caching:
  pages and API answers hold a delegation's material, and neither a shared proxy nor
  the browser's disk cache may keep them (ASVS 14.3). Static files (WhiteNoise) and
  the live feed set their own and keep them.
- ``Permissions-Policy`` turning off the browser features no page uses, so an injected
  script could not reach the camera, microphone, location or payment APIs.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.utils.deprecation import MiddlewareMixin

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "bluetooth=(), magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=()"
)


class SecurityHeadersMiddleware(MiddlewareMixin):
    """Sync and async alike (the mixin), so the live feed's stream stays async."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
