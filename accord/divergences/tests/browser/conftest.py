# The browser fixtures (a real `accord demo`, Debian's Chromium) are the web app's.
from accord.web.tests.browser.conftest import browser, demo_server, page_for  # noqa: F401
