// autotune/format.ts — the duration format progress displays use (library progressBar and the
// CLI's progress line): '45s', '12m05s', '3h02m'.

/** Seconds → '45s' / '12m05s' / '3h02m'; '?' for a negative or non-finite value. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
