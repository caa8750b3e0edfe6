"""Settings for each environment: base (shared), dev, test and production."""
