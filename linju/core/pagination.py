"""Page numbers for the JSON API's lists, bounded: a page number past any list Linju can hold is
refused (422) instead of reaching the database as an offset that overflows it (a 500)."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 100


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)
