"""The channels a message leaves by, each behind the one interface of ``base.Sender``."""
