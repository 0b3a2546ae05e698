"""Masked forms of personal numbers, for everyone who has no need to see them whole."""


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
