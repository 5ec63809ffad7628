// runtime/memory_pool.ts — the process's one shared WebAssembly.Memory and a first-fit
// allocator over it that reuses freed blocks (coalescing neighbours) and grows the memory.

const PAGE = 65536;
/** Blocks are 64-byte aligned: a cache line, and any v128 access is naturally aligned. */
export const ALIGN = 64;
/**
 * Addresses below this are never handed out: a zero address is always a bug, and the codegen
 * may fold up to this many bytes of an index into a load's constant offset (see emitAddress).
 */
export const RESERVED = 65536;
const MAX_PAGES = 32768; // 2 GiB

interface Block { offset: number; size: number }

export class MemoryPool {
  readonly memory: WebAssembly.Memory;
  /** Free blocks sorted by offset. */
  private free: Block[] = [];
  private readonly used = new Map<number, number>();
  private top = RESERVED;

  constructor(initialPages = 16) {
    this.memory = new WebAssembly.Memory({ initial: initialPages, maximum: MAX_PAGES, shared: true });
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** Bytes currently handed out. */
  get bytesInUse(): number {
    let n = 0;
    for (const s of this.used.values()) n += s;
    return n;
  }

  /** Allocates `bytes` (rounded up to ALIGN); returns the byte offset. */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`memory pool: cannot allocate ${bytes} bytes`);
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i]!;
      if (b.size >= size) {
        const offset = b.offset;
        if (b.size === size) this.free.splice(i, 1);
        else { b.offset += size; b.size -= size; }
        this.used.set(offset, size);
        return offset;
      }
    }
    // No free block fits: take it from the top, absorbing a free block that ends at the top.
    const last = this.free[this.free.length - 1];
    let offset = this.top;
    if (last && last.offset + last.size === this.top) {
      offset = last.offset;
      this.free.pop();
    }
    this.ensure(offset + size);
    this.top = offset + size;
    this.used.set(offset, size);
    return offset;
  }

  /** Returns a block to the pool; freeing an unknown offset is an error. */
  release(offset: number): void {
    const size = this.used.get(offset);
    if (size === undefined) throw new Error(`memory pool: ${offset} is not an allocated block (double free?)`);
    this.used.delete(offset);
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid]!.offset < offset) lo = mid + 1;
      else hi = mid;
    }
    this.free.splice(lo, 0, { offset, size });
    // Coalesce with the next, then the previous block.
    const cur = this.free[lo]!;
    const next = this.free[lo + 1];
    if (next && cur.offset + cur.size === next.offset) {
      cur.size += next.size;
      this.free.splice(lo + 1, 1);
    }
    const prev = this.free[lo - 1];
    if (prev && prev.offset + prev.size === cur.offset) {
      prev.size += cur.size;
      this.free.splice(lo, 1);
    }
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    // Grow by at least half again, so many small allocations do not grow page by page.
    const want = Math.max(pages, Math.ceil(have / PAGE / 2));
    const cur = have / PAGE;
    const grow = Math.min(want, MAX_PAGES - cur);
    if (grow < pages) throw new RangeError(`memory pool: out of memory (need ${end} bytes, wasm memory is limited to ${MAX_PAGES * PAGE} bytes)`);
    this.memory.grow(grow);
  }
}

let shared: MemoryPool | undefined;

/** The process-wide pool every NDArray and wasm module uses. */
export function memoryPool(): MemoryPool {
  shared ??= new MemoryPool();
  return shared;
}
