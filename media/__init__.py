"""Media processing: audio, video and image renditions that are small and safe for phones."""
