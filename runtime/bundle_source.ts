// runtime/bundle_source.ts — reads a bundle from where it lives: a folder in Node (node:fs, imported
// only there), or a URL (fetch) in a browser or Node. No compiler, no binaryen.

import { MANIFEST_FILE, unpackBundle, type BundleManifest, type ReadFile } from './bundle.js';

export interface ReadBundle {
  readonly manifest: BundleManifest;
  /** The executor plan, kernels and weights in place. */
  readonly plan: unknown;
  /** Where it was read from: a folder path or a URL ending in '/'. */
  readonly location: string;
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function looksLikeUrl(s: string): boolean {
  return /^(https?|blob|data|file):/i.test(s);
}

async function fetchBytes(url: URL): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText} for ${url.href}`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Reads the bundle at `location`: a folder (Node) or a URL of the folder (fetch; relative URLs
 * resolve against the page). Throws a TypeError naming the file or manifest field that is wrong.
 */
export async function readBundle(location: string | URL): Promise<ReadBundle> {
  let read: ReadFile;
  let where: string;
  if (location instanceof URL || looksLikeUrl(location) || !isNode()) {
    const base = (globalThis as { location?: { href: string } }).location?.href;
    const href = location instanceof URL ? location.href : location;
    const url = new URL(href.endsWith('/') ? href : `${href}/`, base);
    if (url.protocol === 'file:' && isNode()) {
      const { fileURLToPath } = await import('node:url');
      return readBundle(fileURLToPath(url));
    }
    read = (file) => fetchBytes(new URL(file, url));
    where = url.href;
  } else {
    const fs = await import('node:fs/promises');
    const path = await import('node:path');
    const dir = path.resolve(location);
    try {
      if (!(await fs.stat(dir)).isDirectory()) throw new Error('not a folder');
    } catch (e) {
      throw new TypeError(`bundle: '${location}' is not a bundle folder (${(e as Error).message}); make one with tensortune build model.onnx -o ${location}`);
    }
    // File names were checked against the manifest's pattern (no '/..', no absolute paths) before any read.
    read = async (file) => new Uint8Array(await fs.readFile(path.join(dir, file)));
    where = dir;
  }
  let manifestJson: unknown;
  let text: string;
  try {
    text = new TextDecoder().decode(await read(MANIFEST_FILE));
  } catch (e) {
    throw new TypeError(`bundle: cannot read ${MANIFEST_FILE} in '${where}': ${(e as Error).message}`);
  }
  try {
    manifestJson = JSON.parse(text);
  } catch (e) {
    throw new TypeError(`bundle: ${MANIFEST_FILE} in '${where}' is not JSON: ${(e as Error).message}`);
  }
  const { manifest, plan } = await unpackBundle(manifestJson, read);
  return { manifest, plan, location: where };
}
