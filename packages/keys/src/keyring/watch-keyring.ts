import { type FSWatcher, watch } from 'node:fs';

/** Options of {@link watchDirectory}. */
export interface WatchDirectoryOptions {
  /** Quiet time after the last change before `onChange` runs. */
  debounceMs: number;
  /** Runs after a burst of changes; never twice at once. */
  onChange: () => Promise<void>;
}

/**
 * Calls `onChange` once things have settled after changes in `dir`. keytool replaces the manifest
 * by rename and Kubernetes swaps a secret volume's `..data` link, so a burst of events comes per
 * update: debouncing turns it into one reload, and a change during a reload queues one more.
 * Returns the function that stops watching.
 */
export function watchDirectory(dir: string, options: WatchDirectoryOptions): () => void {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const run = (): void => {
    timer = undefined;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = options.onChange().finally(() => {
      running = undefined;
      if (again && !stopped) {
        again = false;
        schedule();
      }
    });
  };
  const schedule = (): void => {
    if (stopped) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(run, options.debounceMs);
    timer.unref();
  };

  const watcher: FSWatcher = watch(dir, { persistent: false }, schedule);
  // A watcher error (the directory removed) must not crash the service; the keys in memory stay.
  watcher.on('error', () => {});
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    watcher.close();
  };
}
