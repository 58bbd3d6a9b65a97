import time


class Progress:
    """A one-line progress bar on the terminal: stage, bar, count, seconds."""

    def __init__(self, stream, quiet=False):
        self.stream, self.quiet, self.started = stream, quiet, time.monotonic()

    def __call__(self, stage, done, total):
        if self.quiet:
            return
        width = 30
        filled = int(width * done / total) if total else width
        self.stream.write(f"\r{stage:<14} [{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{total:,} "
                          f"{time.monotonic() - self.started:6.1f}s")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
