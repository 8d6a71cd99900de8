"""gunicorn's error log without client details: the site keeps no reader's address, and
a query string can hold what a moderator searched for (an email address)."""

import logging
import re

from gunicorn.glogging import Logger

# gunicorn writes "Invalid request from ip=203.0.113.9: <the error>" for malformed requests.
CLIENT_ADDRESS = re.compile(r" from ip=\S*?(?=: |$)")
QUERY_STRING = re.compile(r"\?[^\s'\"]*")


class WithoutClientDetails(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        cleaned = QUERY_STRING.sub("", CLIENT_ADDRESS.sub("", message))
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class AddressFreeLogger(Logger):
    """config/gunicorn.conf.py's logger_class."""

    def setup(self, cfg):
        super().setup(cfg)
        if not any(isinstance(f, WithoutClientDetails) for f in self.error_log.filters):
            self.error_log.addFilter(WithoutClientDetails())
