"""Said after a holiday import has committed, so that what counts working days (the cases' promised
dates) can be worked out again by the apps above, which this app does not know."""

from django.dispatch import Signal

holidays_imported = Signal()  # sent with `years`: the years the import covered
