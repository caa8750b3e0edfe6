"""The ``{% media_player %}`` tag."""

from typing import Any

from django import template

from media.models import MediaAsset
from media.player import player_for

register = template.Library()


@register.inclusion_tag("media/player.html", takes_context=True)
def media_player(context: dict[str, Any], asset: MediaAsset | None) -> dict[str, Any]:
    """An accessible ``<audio>`` or ``<video>`` for a ready asset; nothing otherwise."""
    return {"player": player_for(asset, context.get("request"))}
