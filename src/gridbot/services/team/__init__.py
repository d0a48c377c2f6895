"""The grid's team (/team): its staff with their load and whether the bot reaches them."""

from gridbot.services.team.board import TeamBoard, TeamMember, TeamOf, grids_led, team_board

__all__ = ["TeamBoard", "TeamMember", "TeamOf", "grids_led", "team_board"]
