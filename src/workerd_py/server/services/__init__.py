"""Services: worker, network, external, disk. Each has handle(HttpRequest) -> HttpResponse | awaitable."""
