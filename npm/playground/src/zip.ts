/**
 * The files of a `.zip` (a repository downloaded as an archive), read in the browser: the
 * central directory names the entries, stored ones are copied and deflated ones inflated with
 * `DecompressionStream`. No dependency, and nothing leaves the page. ZIP64, encryption and
 * other methods are reported, not read.
 */

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
}

/** What a `.zip` held, and why some of it could not be read. */
export interface ZipContents {
  entries: ZipEntry[];
  skipped: string[];
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/** Read the entries whose names `wanted` accepts (directories are never entries). */
export async function readZip(data: ArrayBuffer, wanted: (name: string) => boolean): Promise<ZipContents> {
  const view = new DataView(data);
  const end = findEndOfDirectory(view);
  if (end < 0) throw new Error("not a .zip archive (no end-of-central-directory record)");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  const skipped: string[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > view.byteLength || view.getUint32(at, true) !== DIRECTORY_ENTRY) throw new Error("damaged .zip archive (central directory)");
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const localAt = view.getUint32(at + 42, true);
    const name = decoder.decode(new Uint8Array(data, at + 46, nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith("/") || !wanted(name)) continue;
    if (flags & 1 || compressedSize === 0xffffffff || (method !== 0 && method !== 8)) {
      skipped.push(`${name}: ${flags & 1 ? "encrypted" : method !== 0 && method !== 8 ? `compression method ${method}` : "ZIP64"}`);
      continue;
    }
    if (localAt + 30 > view.byteLength || view.getUint32(localAt, true) !== LOCAL_HEADER) throw new Error(`damaged .zip archive (${name})`);
    const start = localAt + 30 + view.getUint16(localAt + 26, true) + view.getUint16(localAt + 28, true);
    const compressed = new Uint8Array(data, start, Math.max(0, Math.min(compressedSize, view.byteLength - start)));
    entries.push({ name, bytes: method === 0 ? compressed.slice() : await inflate(compressed) });
  }
  return { entries, skipped };
}

/** The end-of-central-directory record: the last 22 bytes, or earlier when a comment follows. */
function findEndOfDirectory(view: DataView): number {
  for (let at = view.byteLength - 22; at >= Math.max(0, view.byteLength - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === END_OF_DIRECTORY) return at;
  }
  return -1;
}

async function inflate(compressed: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([compressed]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Names without the one folder every entry sits in (a GitHub archive's `repo-main/`). */
export function withoutCommonFolder(entries: ZipEntry[]): ZipEntry[] {
  const first = entries[0]?.name.split("/")[0];
  const shared = first !== undefined && entries.every((entry) => entry.name.startsWith(`${first}/`));
  return shared ? entries.map((entry) => ({ ...entry, name: entry.name.slice(first.length + 1) })) : entries;
}
