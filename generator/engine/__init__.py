"""What the build runs on: the content-hash cache, worker processes, stage timings."""
