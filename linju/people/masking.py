"""Masked forms of personal numbers and names, for everyone who has no need to see them whole."""


def mask_id_number(number: str) -> str:
    """500222199001011234 → 500222********1234"""
    if len(number) != 18:
        return "*" * len(number)
    return f"{number[:6]}{'*' * 8}{number[-4:]}"


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678; 023-48621234 → 023-****1234."""
    if not phone:
        return ""
    if "-" in phone:
        area, local = phone.split("-", 1)
        return f"{area}-{'*' * (len(local) - 4)}{local[-4:]}"
    if len(phone) == 11:
        return f"{phone[:3]}****{phone[-4:]}"
    return "*" * (len(phone) - 4) + phone[-4:]


def mask_name(name: str) -> str:
    """代云峰 → 代*峰, 王明 → 王*, 欧阳小明 → 欧**明: enough for the person to recognise their own
    name, not enough for a stranger to learn someone's from their ID number."""
    name = "".join(name.split())
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return f"{name[0]}*"
    return f"{name[0]}{'*' * (len(name) - 2)}{name[-1]}"


def mask_given_name(name: str) -> str:
    """代云峰 → 代**: the family name only, a star for each other character (for lists where the
    person need not be recognised at all)."""
    return name[:1] + "*" * (len(name) - 1)
