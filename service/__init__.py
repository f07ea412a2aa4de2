"""The service layer: settings, the engine facade (search/ask), the HTTP API, the web page and the CLI."""
