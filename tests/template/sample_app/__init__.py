"""An installed app whose templates/ folder the Jinja2 backend must find."""
