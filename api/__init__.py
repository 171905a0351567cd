"""The HTTP side: Flask app factory, one flask-smorest blueprint per resource."""
