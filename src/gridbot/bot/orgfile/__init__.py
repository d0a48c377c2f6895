"""The org file (YAML): units, categories, people and their roles, read and checked with
every problem named by its line before anything is imported."""

from gridbot.bot.orgfile.entries import OrgFile, OrgFileError
from gridbot.bot.orgfile.read import parse_org_text, read_org_file

__all__ = ["OrgFile", "OrgFileError", "parse_org_text", "read_org_file"]
