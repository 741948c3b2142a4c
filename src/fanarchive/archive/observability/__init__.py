"""What an operator watches: Prometheus metrics (metrics.py, served by web/views/metrics.py) and one
JSON log line per request (request_log.py)."""
