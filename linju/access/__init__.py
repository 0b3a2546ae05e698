"""Who may do what, in one place: roles, the capability table, and scoping by bureau and town."""
