"""Production files: the image's entrypoint script and its health check."""
