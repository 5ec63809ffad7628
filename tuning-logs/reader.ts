// tuning-logs/reader.ts — streams records out of (possibly huge, possibly torn) log files.
// Lines are split on raw bytes rather than with readline so we know whether the last line
// ended with a newline: an unterminated, unparsable last line is a killed job's torn write
// (harmless), while an unparsable line anywhere else is damage worth a warning.
// As AutoTVM's load_from_file (python/tvm/autotvm/record.py): lines starting with '#' are comments,
// and lines in the old v0.1 layout are skipped with one message per file, not one per line.

import { closeSync, createReadStream, existsSync, openSync, readSync } from 'node:fs';
import { decodeRecord, isCommentLine, OldLogFormatError, type LogRecord } from './record.js';

export interface ReadOptions {
  /** A malformed line is an error instead of a skipped line with a warning. */
  readonly strict?: boolean;
  /** Where warnings go (default: console.warn). */
  readonly onWarning?: (message: string) => void;
  /** Also report a torn last line (default: silent, since every killed job leaves one). */
  readonly warnTorn?: boolean;
  /** Receives every skipped line as data, instead of a warning (used by `validate`). */
  readonly onBadLine?: (bad: BadLine) => void;
}

/**
 * Why a line yields no record: 'malformed' (not a valid record: bad JSON, a missing field, a
 * negative cost, an unknown error number…), 'torn' (an unterminated, unparsable last line: a
 * killed job's), 'old-format' (AutoTVM's unsupported v0.1 layout), 'does-not-fit' (a valid
 * record whose config is not what its template's space says; only from callers that check it).
 */
export type BadLineKind = 'malformed' | 'torn' | 'old-format' | 'does-not-fit';

/** A line that did not decode; `torn` when it is an unterminated last line. */
export interface BadLine {
  readonly file: string;
  readonly line: number;
  readonly message: string;
  readonly torn: boolean;
  readonly kind: BadLineKind;
}

/** A record with where it came from, for messages such as "config 3187 from dense.jsonl:42". */
export interface LogEntry {
  readonly record: LogRecord;
  readonly file: string;
  readonly line: number;
}

const NEWLINE = 0x0a;
const CHUNK = 1 << 16;

/** Cuts a byte stream into lines; keeps the unterminated tail until more bytes come. */
class LineSplitter {
  private tail: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    const buf = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    const lines: string[] = [];
    let start = 0;
    for (let i = buf.indexOf(NEWLINE, start); i >= 0; i = buf.indexOf(NEWLINE, start)) {
      // '\n' never occurs inside a multi-byte UTF-8 sequence, so decoding per line is safe.
      lines.push(buf.toString('utf8', start, i));
      start = i + 1;
    }
    this.tail = Buffer.from(buf.subarray(start));
    return lines;
  }

  /** The bytes after the last newline, if any (a line the writer never finished, or a file without a final newline). */
  end(): string | undefined {
    return this.tail.length > 0 ? this.tail.toString('utf8') : undefined;
  }
}

/** Decides what one line yields: a record, nothing (blank/comment/bad), or an error in strict mode. */
class LineDecoder {
  private lineNo = 0;
  /** Lines in the v0.1 layout: reported once, when the file ends. */
  private oldFormat: { first: number; last: number; count: number; message: string } | undefined;

  constructor(private readonly file: string, private readonly opts: ReadOptions) {}

  decode(text: string, terminated: boolean): LogEntry | undefined {
    this.lineNo++;
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line.trim().length === 0 || isCommentLine(line)) return undefined;
    try {
      return { record: decodeRecord(line), file: this.file, line: this.lineNo };
    } catch (e) {
      const where = `${this.file}:${this.lineNo}`;
      const message = (e as Error).message;
      if (e instanceof OldLogFormatError) {
        if (this.opts.strict) throw new Error(`${where}: ${message}`);
        if (this.opts.onBadLine) this.opts.onBadLine({ file: this.file, line: this.lineNo, message, torn: false, kind: 'old-format' });
        const o = this.oldFormat;
        this.oldFormat = o === undefined ? { first: this.lineNo, last: this.lineNo, count: 1, message } : { ...o, last: this.lineNo, count: o.count + 1 };
        return undefined;
      }
      if (this.opts.onBadLine && !this.opts.strict) {
        this.opts.onBadLine({ file: this.file, line: this.lineNo, message, torn: !terminated, kind: terminated ? 'malformed' : 'torn' });
        return undefined;
      }
      if (!terminated) {
        if (this.opts.warnTorn) this.warn(`${where}: torn last line skipped (a job killed while writing?)`);
        return undefined;
      }
      const msg = `${where}: malformed record skipped: ${message}`;
      if (this.opts.strict) throw new Error(msg.replace('malformed record skipped', 'malformed record'));
      this.warn(msg);
      return undefined;
    }
  }

  /** Called once the file is read: the one message about v0.1 lines, if there were any. */
  finish(): void {
    const o = this.oldFormat;
    if (o === undefined || this.opts.onBadLine) return;
    const lines = o.count === 1 ? `line ${o.first}` : `${o.count} lines (${o.first}–${o.last})`;
    this.warn(`${this.file}: ${lines} skipped: ${o.message}`);
  }

  private warn(message: string): void {
    (this.opts.onWarning ?? ((m: string) => console.warn(`warning: ${m}`)))(message);
  }
}

function checkExists(path: string): void {
  if (!existsSync(path)) throw new Error(`tuning log '${path}' does not exist`);
}

/** Streams the entries of one log file, in file order. */
export async function* readEntries(path: string, opts: ReadOptions = {}): AsyncGenerator<LogEntry> {
  checkExists(path);
  const splitter = new LineSplitter();
  const decoder = new LineDecoder(path, opts);
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    for (const text of splitter.push(chunk as Buffer)) {
      const entry = decoder.decode(text, true);
      if (entry) yield entry;
    }
  }
  const last = splitter.end();
  if (last !== undefined) {
    const entry = decoder.decode(last, false);
    if (entry) yield entry;
  }
  decoder.finish();
}

/** Streams the records of one log file, in file order. */
export async function* readRecords(path: string, opts: ReadOptions = {}): AsyncGenerator<LogRecord> {
  for await (const e of readEntries(path, opts)) yield e.record;
}

/**
 * The same stream, synchronously, for callers that cannot await (a build pushing a dispatch
 * context). Memory stays bounded by one chunk plus one line.
 */
export function* readEntriesSync(path: string, opts: ReadOptions = {}): Generator<LogEntry> {
  checkExists(path);
  const splitter = new LineSplitter();
  const decoder = new LineDecoder(path, opts);
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      for (const text of splitter.push(Buffer.from(buf.subarray(0, n)))) {
        const entry = decoder.decode(text, true);
        if (entry) yield entry;
      }
    }
  } finally {
    closeSync(fd);
  }
  const last = splitter.end();
  if (last !== undefined) {
    const entry = decoder.decode(last, false);
    if (entry) yield entry;
  }
  decoder.finish();
}

/** All records of the given files, in order (files one after another). */
export function loadRecordsSync(paths: string | readonly string[], opts: ReadOptions = {}): LogRecord[] {
  const out: LogRecord[] = [];
  for (const p of typeof paths === 'string' ? [paths] : paths) {
    for (const e of readEntriesSync(p, opts)) out.push(e.record);
  }
  return out;
}

/** All records of the given files, in order, read as streams. */
export async function loadRecords(paths: string | readonly string[], opts: ReadOptions = {}): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for (const p of typeof paths === 'string' ? [paths] : paths) {
    for await (const r of readRecords(p, opts)) out.push(r);
  }
  return out;
}
