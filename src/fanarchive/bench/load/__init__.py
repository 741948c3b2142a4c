"""The serving benches: an archive of realistic size, wrk against nginx, and a locust load mix."""
