"""What views and the middleware tell each other on a response: the only such attributes.

- `for_readers` (set by core.page_cache.cache_for_readers): the response is the same for
  every anonymous reader. The page cache stores it and sends it as public; for a
  signed-in user it becomes `private, no-store`.
- `database_down` (set by core.outage): the database could not be reached and this is the
  503 page. The page cache serves its last good copy instead when it has one.
- `_has_been_logged`: Django's own flag (django.utils.log.log_response) that the response
  was logged already. The outage page sets it because the outage middleware logs one line
  every few seconds, not one per request.
"""


def mark_for_readers(response):
    response.for_readers = True
    return response


def is_for_readers(response):
    return getattr(response, "for_readers", False)


def mark_database_down(response):
    response.database_down = True
    response._has_been_logged = True
    return response


def is_database_down(response):
    return getattr(response, "database_down", False)
