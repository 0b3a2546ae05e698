from huey.contrib.djhuey import db_task

from .pdf import paper_store


@db_task(retries=1, retry_delay=5)
def build_paper(kind: str, key: str, language: str) -> str | None:
    """Render one paper's PDF into storage (see linju.core.pdf); the page asking for it shows it
    when it is there."""
    return paper_store(kind, key, language)
