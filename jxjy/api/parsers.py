"""The API's JSON bodies, bounded (jxjy.core.inputs.load_json): a body over API_JSON_MAX_BYTES, or nested deeper
than JSON_MAX_DEPTH, is a 400 parse error, never a worker busy with it or a RecursionError (500)."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from jxjy.core.inputs import BadInput, load_json

# A batch of 500 import records is some 150 KB; every character escaped (\\uXXXX) six times that.
API_JSON_MAX_BYTES = 2 * 1024 * 1024


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read(API_JSON_MAX_BYTES + 1) if stream is not None else b""
        try:
            return load_json(body, max_bytes=API_JSON_MAX_BYTES)
        except BadInput as e:
            raise ParseError(e.message) from None
