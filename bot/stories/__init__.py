"""Story grouping: reports of one happening, from any outlet, become one story.

A pure engine (no I/O, no database): the pipeline feeds items in publication order and stores
the story id each one joins; `python -m bot stories` runs the same code on a JSON-lines file.
"""

from bot.stories.grouper import StoryGrouper
from bot.stories.model import NewsItem
from bot.stories.signature import Signature, signature

__all__ = ["NewsItem", "Signature", "StoryGrouper", "signature"]
