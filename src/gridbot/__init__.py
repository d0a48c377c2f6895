"""gridbot: grid-based community governance (网格化管理) in Telegram chats."""

__version__ = "0.1.0"
