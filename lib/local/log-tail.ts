/**
 * Follows a log file that another process appends to, delivering whole lines in batches.
 *
 * Local serving points workerd's stdout (one JSON line per request) at a file instead of a pipe:
 * a pipe wakes the reader for every line and can stall workerd when the reader falls behind,
 * which measured ~25% of serve's throughput on a tiny model; appending to a file costs workerd
 * next to nothing, and Node reads what has accumulated a few times a second.
 *
 * The file is emptied once it passes `rotateBytes` and has been read to its end. The writer must
 * have opened it for appending, so its next write lands at the start again; a line written between
 * the last read and the truncation (microseconds, once per rotation) can be missed.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, readSync } from 'fs';

export interface LogTailOptions {
  /** @default 200 */
  readonly intervalMs?: number;
  /** @default 16 MiB */
  readonly rotateBytes?: number;
}

export interface LogTail {
  /** reads what is left (a last partial line included) and stops */
  stop(): void;
}

export function tailLogFile(file: string, onLine: (line: string) => void, options: LogTailOptions = {}): LogTail {
  const rotateBytes = options.rotateBytes ?? 16 * 1024 * 1024;
  const fd = openSync(file, 'r+');
  const chunk = Buffer.alloc(256 * 1024);
  let offset = 0;
  let partial = '';
  let stopped = false;

  const drain = () => {
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, offset);
      if (n === 0) break;
      offset += n;
      const text = partial + chunk.toString('utf8', 0, n);
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    }
    if (offset >= rotateBytes && fstatSync(fd).size === offset) {
      ftruncateSync(fd, 0);
      offset = 0;
    }
  };

  const timer = setInterval(drain, options.intervalMs ?? 200);
  timer.unref();
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      drain();
      if (partial) onLine(partial);
      partial = '';
      closeSync(fd);
    },
  };
}
