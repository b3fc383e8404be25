"""The exit codes of the ``fmtcodec`` command (re-exported by ``fmtcodec.cli``)."""

EXIT_OK = 0
"""Everything decoded (or converted, or validated) fine."""
EXIT_FAILURE = 1
"""A payload did not decode, a value could not be encoded, or a file could not be read."""
EXIT_USAGE = 2
"""Bad command line (click's own usage errors)."""
EXIT_SERVER_ERROR = 3
"""The reply is a server error where something else was asked for."""
