"""API keys: model, rules (services), DRF authentication, JSON API, pages and their URLs."""
