"""Named steps a test can stop a build at, to kill it there and check what it leaves.

With PAPERSITE_PAUSE_AT=STEP in the environment, the process that reaches STEP prints
`paused at STEP, pid PID` on stderr and sleeps; otherwise `pause_at` does nothing.
Steps, in the order a build reaches them: "write" (a render worker, after its first
files are written), "journal" (an update's journal written, no file put in place yet),
"commit" (the first file of an update put in place from its pack), "prune" (every file in
place, the old ones not yet deleted), "manifest" (the site done, the no-change record
not yet written).
"""

from __future__ import annotations

import os
import sys
import time

PAUSE_VARIABLE = "PAPERSITE_PAUSE_AT"


def pause_at(step: str) -> None:
    if os.environ.get(PAUSE_VARIABLE) != step:
        return
    print(f"paused at {step}, pid {os.getpid()}", file=sys.stderr, flush=True)
    time.sleep(3600)
