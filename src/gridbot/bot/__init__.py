"""Composition: configuration, the aiogram Bot and Dispatcher, sender, scheduler, CLI."""
