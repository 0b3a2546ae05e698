from .province import province  # noqa: F401  (the stand-in province for every test here)
