"""InvestDesk: the investment promotion agency's desk."""

__version__ = "0.1.0"
