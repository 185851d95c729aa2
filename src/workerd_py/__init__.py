"""workerd-py: a Python implementation of Cloudflare's workerd."""
__version__ = "0.1.0"
