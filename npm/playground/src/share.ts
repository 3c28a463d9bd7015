/**
 * Share links: the code itself, deflate-raw compressed and base64url encoded, in the URL fragment.
 * Browsers never send the fragment to a server; whoever gets the link can still read the code.
 */
const PREFIX = "#code=";

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipe(bytes: Uint8Array<ArrayBuffer>, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The page URL with `code` in its fragment. */
export async function shareUrl(code: string, location: Location): Promise<string> {
  const compressed = await pipe(new TextEncoder().encode(code), new CompressionStream("deflate-raw"));
  return location.href.replace(/#.*$/, "") + PREFIX + toBase64Url(compressed);
}

/** The code of a share fragment, or undefined when there is none (or it is damaged). */
export async function sharedCode(hash: string): Promise<string | undefined> {
  if (!hash.startsWith(PREFIX)) return undefined;
  try {
    const bytes = await pipe(fromBase64Url(hash.slice(PREFIX.length)), new DecompressionStream("deflate-raw"));
    return new TextDecoder().decode(bytes);
  } catch {
    return undefined;
  }
}
