"""Who may see which protocol: the expected answers of every permission test."""

PROTOCOLS = ["public", "community", "restricted", "secret"]
MATRIX = {
    "anonymous": {"public"},
    "reader": {"public"},
    "member": {"public", "community"},
    "other_member": {"public"},
    "officer": {"public", "community", "restricted"},
    "custodian": {"public", "secret"},
    "superuser": {"public", "community", "restricted", "secret"},
}
