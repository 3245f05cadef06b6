"""The consoles in a browser (Playwright driving Debian's Chromium) and the helpers
the HTTP-level page tests (tests/test_web_http.py) share with them."""
