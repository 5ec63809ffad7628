// tuning-logs/writer.ts — appends records to a log: one whole line per write, flushed per record.
//
// Why an fd opened with 'a' (O_APPEND) + one writeSync per line + fsyncSync:
// - O_APPEND makes "seek to end + write" one step, and on Linux local file systems (ext4, xfs,
//   btrfs, tmpfs) write(2) on a regular file holds the inode lock for the whole call, so the
//   bytes of one call land contiguously whatever their size — PIPE_BUF only limits pipes. Two
//   jobs appending to one log therefore never interleave bytes as long as each line is ONE
//   write call; we build the full line (record + '\n') in one buffer and check the count
//   written. (Not guaranteed on NFS, where O_APPEND is emulated: give each job its own log
//   there and `merge` them.) tests/tuning-logs/writer.test.ts checks this with two processes.
// - fs.appendFileSync would also do one write per call but opens and closes the file for each
//   record; keeping the fd saves that without weakening anything.
// - fsync per record: a record costs seconds of measuring, an fsync milliseconds; without it an
//   OS crash or power cut could lose minutes of finished records still in the page cache. A
//   killed process loses nothing either way (written bytes are in the kernel already).

import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { encodeRecord, type LogRecord } from './record.js';

export interface WriterOptions {
  /** fsync after every record (default true; see the file comment). */
  readonly fsync?: boolean;
}

/** An open log that records are appended to. Not for use after `close()`. */
export class LogWriter {
  private fd: number | undefined;
  private written = 0;

  constructor(readonly path: string, private readonly opts: WriterOptions = {}) {
    this.fd = openSync(path, 'a');
    terminateTornLine(path, this.fd);
  }

  /** Records appended through this writer so far. */
  get count(): number {
    return this.written;
  }

  /** Appends one record as one line in one write call, then flushes it to disk. */
  write(record: LogRecord): void {
    if (this.fd === undefined) throw new Error(`log writer for '${this.path}' is closed`);
    writeLine(this.fd, this.path, encodeRecord(record));
    if (this.opts.fsync ?? true) fsyncSync(this.fd);
    this.written++;
  }

  /**
   * Flushes the records written so far to disk (fsync), whatever the `fsync` option: for a writer
   * opened with `{ fsync: false }` whose file must be durable before it is renamed (`merge`).
   */
  sync(): void {
    if (this.fd === undefined) throw new Error(`log writer for '${this.path}' is closed`);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Appends one record to `path` (opening and closing it); use a LogWriter for many records. */
export function appendRecord(path: string, record: LogRecord, opts: WriterOptions = {}): void {
  const w = new LogWriter(path, opts);
  try {
    w.write(record);
  } finally {
    w.close();
  }
}

function writeLine(fd: number, path: string, line: string): void {
  const bytes = Buffer.from(line + '\n', 'utf8');
  const n = writeSync(fd, bytes, 0, bytes.length);
  if (n !== bytes.length) {
    // A short write (disk full) leaves a torn line; end it so the next record starts clean.
    try {
      writeSync(fd, '\n');
    } catch {
      // The disk is full; the reader skips the torn line either way.
    }
    throw new Error(`tuning log '${path}': short write (${n} of ${bytes.length} bytes); is the disk full?`);
  }
}

/**
 * A killed writer of another tool (or a full disk) can leave a last line without '\n'. Appending
 * after it would glue our first record to the fragment and lose both, so we end it first.
 */
function terminateTornLine(path: string, appendFd: number): void {
  const size = fstatSync(appendFd).size;
  if (size === 0) return;
  const rfd = openSync(path, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(rfd, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) writeSync(appendFd, '\n');
  } finally {
    closeSync(rfd);
  }
}
