/** How often the parent is checked: a stop signal to npm takes effect within half a second. */
const DEFAULT_INTERVAL_MS = 500;

/**
 * Calls `onExit` once when this process's parent exits, seen as this process being re-parented
 * (Linux and macOS re-parent orphans, to init or a subreaper). Does nothing when the parent is
 * already init (a container's PID 1 child, or already orphaned). Returns a function that stops
 * watching. The timer never keeps the process alive.
 */
export function watchParent(onExit: () => void, intervalMs = DEFAULT_INTERVAL_MS): () => void {
  const parent = process.ppid;
  if (parent <= 1) return () => undefined;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onExit();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
